"""What people read: the plan as text and JSON, history reports, and the live view."""
