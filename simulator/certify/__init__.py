"""Certification: exam attempts played and recorded turn by turn, graded, exported and verified.

    recorder.py   RecordingSession: an engine Session whose every line is written as it happens
    grading.py    an attempt's total and pass/fail from its scenarios' scorecards and the exam
    runner.py     `kefu exam run`: an attempt played from replies files (no screen)
    bundle.py     `kefu export` / `kefu verify`: a self-contained bundle, replayed and re-graded
    keys.py       Ed25519 keys and signatures (`kefu keys init`)
    commands.py   the CLI commands (registered into simulator.cli)
"""
