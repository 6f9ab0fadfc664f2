# Reference values for tests/representativeness/stats/test_linearisation.py: the raked share of each answer
# among those who answered, its linearised standard error (svymean) and its logit interval (svyciprop),
# on a design calibrated by raking to the margins in linearised_targets.csv.
# Run from this folder: Rscript linearised.R > linearised_r_output.txt (writes linearised_r_output.csv).
source("raked_design.R")
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
