# R's survey package on the benchmark's data (benchmarks/weighting.py --against-r writes the files and
# runs this): rake with calibrate(calfun = "raking") to the same margins, then svymean of every
# question. Times everything after reading the CSV; writes each answer's share and standard error.
# Usage: Rscript weighting_survey.R sample.csv targets.csv output.csv
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
sample <- read.csv(args[[1]], stringsAsFactors = FALSE, na.strings = "")
targets <- read.csv(args[[2]], stringsAsFactors = FALSE)
characteristics <- unique(targets$characteristic)
questions <- grep("^q[0-9]+$", names(sample), value = TRUE)
started <- proc.time()[["elapsed"]]
for (column in characteristics) {
  sample[[column]] <- factor(sample[[column]], levels = targets$category[targets$characteristic == column])
}
for (question in questions) sample[[question]] <- factor(sample[[question]])
total <- nrow(sample)
population <- c(`(Intercept)` = total)
for (column in characteristics) {
  rows <- targets[targets$characteristic == column, ]
  population <- c(population, setNames(rows$share[-1] * total, paste0(column, rows$category[-1])))
}
design <- svydesign(ids = ~1, data = sample, weights = ~1)
formula <- as.formula(paste("~", paste(characteristics, collapse = " + ")))
raked <- calibrate(design, formula, population = population, calfun = "raking", epsilon = 1e-10, maxit = 1000)
results <- list()
for (question in questions) {
  m <- svymean(as.formula(paste0("~", question)), raked, na.rm = TRUE)
  answers <- sub(paste0("^", question), "", names(coef(m)))
  results[[question]] <- data.frame(question = question, answer = answers, share = coef(m), se = SE(m))
}
elapsed <- proc.time()[["elapsed"]] - started
write.csv(do.call(rbind, results), args[[3]], row.names = FALSE)
cat(sprintf("seconds %.3f\n", elapsed))
