"""The Streamlit shell around the screening core: loading, session state, widgets, rendering."""
