"""Sound as numbers: audio and WAV files, tones, the bundled sounds, mixing cues into segments,
and speech (the engines behind a clip cache)."""
