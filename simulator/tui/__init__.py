"""The practice room: kefu's Textual app (make_app in app.py; screens/, widgets/, kefu.tcss).

Importing this package is cheap: Textual is imported by app.py, jieba only by the scorer's warm-up.
"""
