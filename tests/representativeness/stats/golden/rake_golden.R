# Golden weights for representativeness.stats raking, computed with R's survey package.
#
# Inputs (fixed, committed beside this script):
#   rake_golden_sample.csv         360 respondents: id, age (5 bands), sex, tenure (3 levels, 33
#                                  missing = empty field), base_weight (0.5/1/1.5/2 by id).
#                                  Generated once with numpy (seed 20240611), skewed older and female.
#   rake_golden_targets.csv        census-style counts per characteristic and category (each
#                                  characteristic sums to 100000).
#   rake_golden_joint_targets.csv  age x sex counts for post-stratification (sums to 100000).
# Output:
#   rake_golden_weights.csv        id and, at full precision, the weights from
#                                    rake                 survey::rake, equal base weights
#                                    rake_base_weighted   survey::rake, base weights from the sample
#                                    poststratify         survey::postStratify on age x sex
#
# Regenerate (needs the Debian package r-cran-survey; pytest itself never needs R):
#   Rscript tests/representativeness/stats/golden/rake_golden.R
#
# Conventions matched to the Python side (docs/domain.md, "Weighting"):
# * A missing tenure is its own level, "(no answer)", whose population target is its observed
#   base-weighted share of the population total; the answered tenure levels share the rest in
#   census proportions.
# * survey::rake's epsilon below 1 is relative to the total weight and bounds the change of the
#   fitted table between iterations; 1e-13 with up to 1000 iterations is far tighter than the 1e-8
#   the test asks for.
# * R returns weights that add up to the population; the test rescales both sides to mean 1.

suppressPackageStartupMessages(library(survey))

script_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
here <- if (length(script_arg)) dirname(normalizePath(sub("^--file=", "", script_arg[1]))) else getwd()

sample <- read.csv(file.path(here, "rake_golden_sample.csv"), stringsAsFactors = FALSE,
                   na.strings = "")
targets <- read.csv(file.path(here, "rake_golden_targets.csv"), stringsAsFactors = FALSE)
joint <- read.csv(file.path(here, "rake_golden_joint_targets.csv"), stringsAsFactors = FALSE)

no_answer <- "(no answer)"
sample$tenure[is.na(sample$tenure)] <- no_answer
population_total <- sum(targets$population[targets$characteristic == "age"])

# Population margin for one characteristic as the data frame survey::rake expects.
margin <- function(variable, base) {
  rows <- targets[targets$characteristic == variable, ]
  counts <- rows$population / sum(rows$population) * population_total
  levels <- rows$category
  missing <- sample[[variable]] == no_answer
  if (any(missing)) {
    missing_share <- sum(base[missing]) / sum(base)
    counts <- c(counts * (1 - missing_share), missing_share * population_total)
    levels <- c(levels, no_answer)
  }
  out <- data.frame(levels, counts, stringsAsFactors = FALSE)
  names(out) <- c(variable, "Freq")
  out
}

rake_weights <- function(base) {
  data <- sample
  data$w <- base
  design <- svydesign(ids = ~1, weights = ~w, data = data)
  raked <- rake(
    design,
    sample.margins = list(~age, ~sex, ~tenure),
    population.margins = list(margin("age", base), margin("sex", base), margin("tenure", base)),
    control = list(maxit = 1000, epsilon = 1e-13, verbose = FALSE)
  )
  weights(raked)
}

poststratify_weights <- function() {
  data <- sample
  data$w <- 1
  design <- svydesign(ids = ~1, weights = ~w, data = data)
  population <- data.frame(age = joint$age, sex = joint$sex, Freq = joint$population)
  weights(postStratify(design, ~age + sex, population))
}

out <- data.frame(
  id = sample$id,
  rake = sprintf("%.17g", rake_weights(rep(1, nrow(sample)))),
  rake_base_weighted = sprintf("%.17g", rake_weights(sample$base_weight)),
  poststratify = sprintf("%.17g", poststratify_weights())
)
write.csv(out, file.path(here, "rake_golden_weights.csv"), row.names = FALSE, quote = FALSE)
cat("Wrote", file.path(here, "rake_golden_weights.csv"), "with", R.version.string,
    "and survey", as.character(packageVersion("survey")), "\n")
