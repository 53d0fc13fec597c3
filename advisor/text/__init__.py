"""Plain text handling: sentences, cue lexicons, negation and hedge scope, facts."""
