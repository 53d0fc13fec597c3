"""Plain-code decisions: severity, verdict, actions, cost and schedule. Never imports a reasoner."""
