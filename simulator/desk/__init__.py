"""The team lead's desk without a screen: cohort summaries, xAPI, the HTML report, case write-ups.

UI-free: the Textual desk (simulator/tui/desk/) and the commands (simulator/desk/commands.py) use it.
"""
