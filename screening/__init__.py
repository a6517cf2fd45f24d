"""The synkinesis self-check core: questionnaire models, loading, rules and result texts.

Never imports streamlit: the page, the command line and storage are shells around this core.
"""
