# Reference values for tests/representativeness/stats/test_linearisation.py: the raked share of each answer
# among those who answered, its linearised standard error (svymean) and its logit interval (svyciprop),
# on a design calibrated by raking to the margins in linearised_targets.csv.
# Run from this folder: Rscript linearised.R > linearised_r_output.txt (writes linearised_r_output.csv).
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
answered <- subset(raked, !is.na(answer))
answers <- c("Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree")
rows <- lapply(answers, function(a) {
  f <- as.formula(paste0("~I(!is.na(answer) & answer == '", a, "')"))
  mean <- svymean(f, answered)
  ci <- svyciprop(f, answered, method = "logit", level = 0.95)
  # The mean of a logical has a FALSE and a TRUE column: the second is the share choosing the answer.
  data.frame(answer = a, share = coef(mean)[[2]], se = SE(mean)[[2]],
             ciprop = coef(ci)[[1]], low = attr(ci, "ci")[[1]], high = attr(ci, "ci")[[2]],
             df = degf(answered))
})
result <- do.call(rbind, rows)
print(result)
write.csv(result, "linearised_r_output.csv", row.names = FALSE)
