"""The team lead's desk (`kefu desk`): the cohort table, trends, and the replay of an attempt."""
