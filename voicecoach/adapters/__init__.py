"""The only modules that touch the clock, the audio device, the terminal and matplotlib."""
