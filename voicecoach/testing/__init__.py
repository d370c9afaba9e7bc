"""Parts for testing voicecoach and programs built on it, shipped in the package (as Mopidy
ships its dummy audio): fakes of the effects, a private PulseAudio server with a recorder, and
finding where known sounds are in a recording. Used by tests/ and bench/."""
