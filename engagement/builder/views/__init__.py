"""The survey builder's pages, one module per part: surveys, pages, questions, their choices and
rows, routing conditions, preview, publishing, and the About you section."""
