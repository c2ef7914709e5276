"""What the author's desk keeps beside the posts themselves."""
