# Reference for tests/representativeness/stats/test_trimmed_weights.py: raked weights trimmed to a floor and a
# cap (multiples of the mean weight) by R's trimWeights, which sets the weights outside the bounds to the
# bound and spreads what was cut off (or added) equally over the respondents inside them, keeping the total;
# strict = TRUE repeats that until no weight is outside. And svymean / svyciprop on the trimmed design,
# which keeps its calibration (the variance is still residualised on the raking margins).
# Run from this folder: Rscript trim_weights.R > trim_weights_r_output.txt (writes trim_weights.csv and
# trim_weights_shares.csv).
source("raked_design.R")
average <- mean(weights(raked))
lower <- 0.5 * average
upper <- 1.3 * average
once <- trimWeights(raked, lower = lower, upper = upper)
strict <- trimWeights(raked, lower = lower, upper = upper, strict = TRUE)
cat("raked weights / average, range", range(weights(raked)) / average, "\n")
cat("trimmed once, range", range(weights(once)) / average, "total", sum(weights(once)), "\n")
cat("trimmed strictly, range", range(weights(strict)) / average, "total", sum(weights(strict)), "\n")
write.csv(data.frame(id = sample$id, raked = weights(raked) / average, once = weights(once) / average,
                     strict = weights(strict) / average), "trim_weights.csv", row.names = FALSE)
answered <- subset(strict, !is.na(answer))
answers <- c("Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree")
rows <- lapply(answers, function(a) {
  f <- as.formula(paste0("~I(!is.na(answer) & answer == '", a, "')"))
  mean <- svymean(f, answered)
  ci <- svyciprop(f, answered, method = "logit", level = 0.95)
  data.frame(answer = a, share = coef(mean)[[2]], se = SE(mean)[[2]],
             low = attr(ci, "ci")[[1]], high = attr(ci, "ci")[[2]])
})
result <- do.call(rbind, rows)
print(result)
write.csv(result, "trim_weights_shares.csv", row.names = FALSE)
