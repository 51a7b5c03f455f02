// Package audit runs a complete bias audit of word vectors and writes it
// up: Caliskan et al.'s ten WEAT tests, the gender direction of Bolukbasi
// et al. with the direct bias of the professions, and, when asked, hard
// debiasing with every measure repeated on the debiased vectors beside
// what debiasing cost in analogy and similarity accuracy. Report.Markdown
// and Report.Plots turn the result into report.md and PNG figures, and
// Report.Table into a plain-text before/after table.
//
// Every number comes from package bias; this package only decides what
// to run, in which order, and how to show it. `wordspace bias report`
// and examples/bias-audit are built on it.
package audit
