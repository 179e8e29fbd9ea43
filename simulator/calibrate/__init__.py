"""Calibration: how far kefu's grades agree with the team's own human graders (issue 16).

    statistics   κ, quadratic-weighted κ, correlation, the borderline-regression cut (pure Python)
    sheet        the blind grading sheet (CSV + HTML) drawn from finished exam conversations
    importing    reading a filled sheet into the records (simulator.records.calibration)
    report       agreement per grader and between graders (table, JSON, HTML)
    items        item analysis: how often each scoring rule fires and how it relates to the rest
    passmark     a pass mark suggested from the graders' pass/fail judgements
    commands     `kefu calibrate …`
"""
