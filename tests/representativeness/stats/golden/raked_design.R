# Shared by linearised.R and trim_weights.R: the sample in linearised_sample.csv as a survey design, raked
# (calibrate, calfun = "raking") to the margins in linearised_targets.csv; gives `sample`, `targets` and
# `raked`. Sourced from this folder.
library(survey)
options(digits = 17)
sample <- read.csv("linearised_sample.csv", stringsAsFactors = FALSE, na.strings = "")
targets <- read.csv("linearised_targets.csv", stringsAsFactors = FALSE)
for (column in c("sex", "age", "ethnic_group")) {
  sample[[column]] <- factor(sample[[column]], levels = targets$category[targets$characteristic == column])
}
design <- svydesign(ids = ~1, data = sample, weights = ~1)
population_of <- function(column) setNames(targets$population[targets$characteristic == column],
                                            targets$category[targets$characteristic == column])
sex <- population_of("sex"); age <- population_of("age"); ethnic <- population_of("ethnic_group")
population <- c(`(Intercept)` = sum(sex), sexMale = sex[["Male"]],
                `age35 to 64` = age[["35 to 64"]], `age65 and over` = age[["65 and over"]],
                ethnic_groupAsian = ethnic[["Asian"]], ethnic_groupBlack = ethnic[["Black"]],
                ethnic_groupOther = ethnic[["Other"]])
raked <- calibrate(design, ~sex + age + ethnic_group, population = population, calfun = "raking",
                   epsilon = 1e-14, maxit = 500)
