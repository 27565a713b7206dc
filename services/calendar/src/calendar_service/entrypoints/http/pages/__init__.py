"""Pages for people: plain semantic HTML built server-side with escaping, no scripts, Finnish first."""
