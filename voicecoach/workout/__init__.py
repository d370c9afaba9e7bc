"""A workout, coached: the Python API (`coaching.py`: play, resume, render, say), the world it
reaches through (`outside.py`: which adapters are plugged in, real by default) and a session
(`session.py`: the player with its listeners, the screen, the media keys, the history's set
log and the ducking of other programs). Above playback/, which is the timing stage alone and
imports none of them."""
