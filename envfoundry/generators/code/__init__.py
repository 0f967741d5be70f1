"""The code family's proposer side: candidates from git history or GitHub, filters, the
gold/test patch split, problem statements, and validation of one candidate into a task."""
