# Quick start:  make play  (plays the bundled routine)   make test  (runs the whole suite)
# Each target installs what it needs first (Debian/Ubuntu packages, then a virtual environment)
# and is safe to run again: installed packages and an up-to-date venv are skipped.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ROUTINE ?= pushups-for-back

# gcc + libasound2-dev build simpleaudio; libespeak-ng1/espeak-ng are the speech engine on Linux;
# pulseaudio, pulseaudio-utils and libasound2-plugins give the tests a private sound server;
# libpulse0 carries libpulse-simple, which the one-stream output (--output stream) plays through;
# tmux runs the end-to-end test of the live view and the keys; dbus-daemon and dbus-bin give
# the media keys' test a private session bus (dbus-send presses the buttons); ffmpeg's ffprobe
# and ebur128 read the renders for a phone back, as readers voicecoach does not use.
APT_PACKAGES := gcc libc6-dev libasound2-dev libespeak-ng1 espeak-ng \
                pulseaudio pulseaudio-utils libasound2-plugins libpulse0 tmux dbus-daemon dbus-bin \
                ffmpeg
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: play test lint unit schema system-deps venv clean

play: venv
	$(BIN)/voicecoach play $(ROUTINE)

test: venv lint unit

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The fast suite on both cores; then the end-to-end tests two at a time (each mostly waits on a
# workout playing in real time; beside the fast suite, they would share its CPU); then those
# that measure milliseconds, one at a time (beside another, a 50 ms stop once took 57).
unit: venv
	$(BIN)/pytest -m "not e2e" -n 2
	$(BIN)/pytest -m "e2e and not alone" -n 2
	$(BIN)/pytest -m alone

# Regenerate the committed JSON Schema after changing the format (a test checks it is current).
schema: venv
	$(BIN)/voicecoach schema > voicecoach/routine/routine.schema.json

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV) || { $(MAKE) --no-print-directory APT_PACKAGES=python3-venv system-deps && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade 'pip>=25.1'
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $@

system-deps:
	@if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "No apt-get here: install a C compiler, ALSA headers and espeak-ng yourself (see README)."; \
	else \
	  missing=""; for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing system packages:$$missing"; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
