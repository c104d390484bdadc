"""The learning-points register: a case's learning points and their actions, the partnership's
register and the themes that recur across cases. Its models are still in chronicle/reviews/models.py."""
