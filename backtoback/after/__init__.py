"""The "After the visit" part (chapters/after/): one module per page, plus the numbers they share.

- :mod:`.numbers` -> the sourced figures of ``data/after_numbers.csv``, looked up by id;
- :mod:`.timeline` -> "What happened next": the dated timeline, October 2024 to May 2026;
- :mod:`.statements` -> "The statements compared": five joint statements, six formulas;
- :mod:`.thesis` -> "The thesis two years on": each Gabuev claim with a verdict and a figure;
- :mod:`.later_readings` -> readings of the later meetings, in the readings page's switch.
"""
