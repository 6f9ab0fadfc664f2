# Golden Rao-Scott tests for representativeness.stats.rao_scott, computed with R's survey package.
#
# Input (fixed, committed beside this script):
#   rao_scott_sample.csv   420 respondents: id, weight (raking-like, a few distinct values, larger for
#                          one group), group (Disabled / Not disabled / Carer) and answer (Agree /
#                          Neither / Disagree / Don't know). Generated once with numpy (seed 20261129).
# Output:
#   rao_scott_golden.csv   one row per table: the Pearson X^2 on the weighted table scaled to n, the
#                          F statistic, its degrees of freedom and p-value (svychisq's default,
#                          statistic = "F", the second-order Rao-Scott correction), and the p-value of
#                          the first-order correction (statistic = "Chisq").
#
# Tables:
#   group_by_answer        3 x 4: every group by every answer
#   disabled_by_agree      2 x 2: Disabled vs everyone else, by Agree vs any other answer
#   carer_by_agree         2 x 2: Carer vs everyone else, by Agree vs any other answer
#   disabled_by_dont_know  2 x 2 with a small cell: Disabled vs everyone else, by Don't know vs not
#
# The design is respondents with weights and nothing else (ids = ~1), as the Python side assumes.
#
# Regenerate (needs the Debian package r-cran-survey; pytest itself never needs R):
#   Rscript tests/representativeness/stats/golden/rao_scott_golden.R

suppressPackageStartupMessages(library(survey))

script_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
here <- if (length(script_arg)) dirname(normalizePath(sub("^--file=", "", script_arg[1]))) else getwd()

sample <- read.csv(file.path(here, "rao_scott_sample.csv"), stringsAsFactors = FALSE)
sample$disabled <- ifelse(sample$group == "Disabled", "group", "others")
sample$carer <- ifelse(sample$group == "Carer", "group", "others")
sample$agree <- ifelse(sample$answer == "Agree", "chose", "other")
sample$dont_know <- ifelse(sample$answer == "Don't know", "chose", "other")
design <- svydesign(ids = ~1, weights = ~weight, data = sample)

tables <- list(
  group_by_answer = ~group + answer,
  disabled_by_agree = ~disabled + agree,
  carer_by_agree = ~carer + agree,
  disabled_by_dont_know = ~disabled + dont_know
)

rows <- lapply(names(tables), function(name) {
  f <- svychisq(tables[[name]], design, statistic = "F")
  chisq <- svychisq(tables[[name]], design, statistic = "Chisq")
  plain <- suppressWarnings(chisq.test(svytable(tables[[name]], design, Ntotal = nrow(sample)), correct = FALSE))
  data.frame(
    table = name,
    pearson = unname(plain$statistic),
    f_statistic = unname(f$statistic),
    ndf = unname(f$parameter["ndf"]),
    ddf = unname(f$parameter["ddf"]),
    p_value = f$p.value,
    chisq_statistic = unname(chisq$statistic),
    p_value_chisq = chisq$p.value
  )
})
out <- do.call(rbind, rows)
write.csv(out, file.path(here, "rao_scott_golden.csv"), row.names = FALSE)
print(format(out, digits = 15))
