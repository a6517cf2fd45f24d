"""Load benchmark: a browserless Streamlit client, a bare baseline app, and the comparison."""
