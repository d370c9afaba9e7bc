"""Coaching a workout in time: preparing it (speech rendered ahead), the player on absolute
deadlines, where keys lead, and the session that records it."""
