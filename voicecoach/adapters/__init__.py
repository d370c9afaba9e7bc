"""The only modules that touch the clock, the audio device and the terminal."""
