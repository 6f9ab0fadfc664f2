# Reference for tests/representativeness/stats/test_bounded_raking.py: raking with weights kept between
# a floor and a cap (multiples of the mean weight), R's calibrate(..., calfun = "raking", bounds = ).
# The design weights are N/n so that g (the ratio R bounds) is the weight over the mean weight.
# Run from this folder: Rscript bounded_rake.R > bounded_rake_r_output.txt (writes bounded_rake_weights.csv).
library(survey)
options(digits = 17)
sample <- read.csv("linearised_sample.csv", stringsAsFactors = FALSE, na.strings = "")
targets <- read.csv("linearised_targets.csv", stringsAsFactors = FALSE)
for (column in c("sex", "age", "ethnic_group")) {
  sample[[column]] <- factor(sample[[column]], levels = targets$category[targets$characteristic == column])
}
total <- sum(targets$population[targets$characteristic == "sex"])
sample$w0 <- total / nrow(sample)
design <- svydesign(ids = ~1, data = sample, weights = ~w0)
population_of <- function(column) setNames(targets$population[targets$characteristic == column],
                                            targets$category[targets$characteristic == column])
sex <- population_of("sex"); age <- population_of("age"); ethnic <- population_of("ethnic_group")
population <- c(`(Intercept)` = total, sexMale = sex[["Male"]],
                `age35 to 64` = age[["35 to 64"]], `age65 and over` = age[["65 and over"]],
                ethnic_groupAsian = ethnic[["Asian"]], ethnic_groupBlack = ethnic[["Black"]],
                ethnic_groupOther = ethnic[["Other"]])
free <- calibrate(design, ~sex + age + ethnic_group, population = population, calfun = "raking",
                  epsilon = 1e-13, maxit = 1000)
g_free <- weights(free) / sample$w0
cat("unbounded g range", range(g_free), "\n")
bounded <- calibrate(design, ~sex + age + ethnic_group, population = population, calfun = "raking",
                     bounds = c(0.6, 1.8), epsilon = 1e-13, maxit = 1000)
g <- weights(bounded) / sample$w0
cat("bounded g range", range(g), "\n")
write.csv(data.frame(id = sample$id, g_free = g_free, g_bounded = g), "bounded_rake_weights.csv", row.names = FALSE)
# Bounds no weighting can meet: R's calibration fails (the test checks our linear programme says so).
tight <- tryCatch(calibrate(design, ~sex + age + ethnic_group, population = population, calfun = "raking",
                            bounds = c(0.7, 1.6), epsilon = 1e-13, maxit = 1000),
                  error = function(e) conditionMessage(e))
cat("bounds 0.7 to 1.6:", if (is.character(tight)) tight else "calibrated", "\n")
