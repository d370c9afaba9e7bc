"""What the coach does, as pure functions: the plan, what is said and where it fits, the
phrases, progression, and where a workout is at a moment."""
