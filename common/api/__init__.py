"""What every endpoint under /api/ shares: the policy permission, JSON errors, cursor pagination, throttles."""
