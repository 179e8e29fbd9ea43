"""The trainer's screens, one a file: home, chat, scorecard, help, quick replies."""
