package ppmi

import (
	"errors"
	"fmt"
	"math"

	"github.com/james-bowman/sparse"
)

// PMIOptions controls FromCounts.
type PMIOptions struct {
	// Smoothing is the exponent α applied to context counts before they
	// are normalised into a distribution ("context distribution
	// smoothing"); it raises the probability of rare contexts and so
	// lowers their PMI. 0 means 0.75, the value of Levy et al. and of
	// word2vec's negative sampling; 1 turns smoothing off.
	Smoothing float64
	// Shift is k in shifted PPMI: log k is subtracted from every PMI value
	// before clipping, the matrix that skip-gram with k negative samples
	// factorises. 0 or 1 means no shift.
	Shift float64
}

func (o PMIOptions) withDefaults() (PMIOptions, error) {
	if o.Smoothing == 0 {
		o.Smoothing = 0.75
	}
	if !(o.Smoothing > 0 && o.Smoothing <= 1) {
		return o, fmt.Errorf("ppmi: smoothing exponent %v out of range (0, 1]", o.Smoothing)
	}
	if o.Shift == 0 {
		o.Shift = 1
	}
	if !(o.Shift >= 1) || math.IsInf(o.Shift, 1) {
		return o, fmt.Errorf("ppmi: shift k = %v must be a number ≥ 1", o.Shift)
	}
	return o, nil
}

// FromCounts returns the positive PMI matrix of a word × context count
// matrix:
//
//	PPMI(w, c) = max(0, log(#(w,c) / (#(w) · Pα(c))) − log k)
//	#(w)  = Σc #(w,c),   #(c) = Σw #(w,c),   Pα(c) = #(c)^α / Σc' #(c')^α
//
// Only positive values are stored, so the result is at least as sparse as
// the counts. Negative or non-finite counts are an error.
func FromCounts(counts *sparse.CSR, opts PMIOptions) (*sparse.CSR, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if counts == nil {
		return nil, errors.New("ppmi: nil count matrix")
	}
	if err := checkCSR(counts, false); err != nil {
		return nil, err
	}
	if err := checkCounts(counts); err != nil {
		return nil, err
	}
	raw := counts.RawMatrix()
	rows, cols := raw.I, raw.J
	rowSum := make([]float64, rows)
	colSum := make([]float64, cols)
	for i := range rows {
		for k := raw.Indptr[i]; k < raw.Indptr[i+1]; k++ {
			rowSum[i] += raw.Data[k]
			colSum[raw.Ind[k]] += raw.Data[k]
		}
	}
	// logCtx[c] = log Pα(c) + log k, so that PPMI = log #(w,c) − log #(w) − logCtx[c].
	var z float64
	for _, s := range colSum {
		if s > 0 {
			z += math.Pow(s, opts.Smoothing)
		}
	}
	if z == 0 {
		return nil, fmt.Errorf("ppmi: the count matrix is all zeros: %w", ErrEmptyCounts)
	}
	logZ, logK := math.Log(z), math.Log(opts.Shift)
	logCtx := make([]float64, cols)
	for c, s := range colSum {
		if s > 0 {
			logCtx[c] = opts.Smoothing*math.Log(s) - logZ + logK
		}
	}
	indptr := make([]int, rows+1)
	ind := make([]int, 0, len(raw.Ind)/2)
	data := make([]float64, 0, len(raw.Ind)/2)
	for i := range rows {
		if rowSum[i] > 0 {
			logW := math.Log(rowSum[i])
			for k := raw.Indptr[i]; k < raw.Indptr[i+1]; k++ {
				v := raw.Data[k]
				if v == 0 {
					continue
				}
				c := raw.Ind[k]
				if pmi := math.Log(v) - logW - logCtx[c]; pmi > 0 {
					ind = append(ind, c)
					data = append(data, pmi)
				}
			}
		}
		indptr[i+1] = len(ind)
	}
	return sparse.NewCSR(rows, cols, indptr, ind, data), nil
}

// PPMI returns the positive PMI matrix of the counts; see FromCounts.
func (c *Cooccurrence) PPMI(opts PMIOptions) (*sparse.CSR, error) {
	return FromCounts(c.counts, opts)
}
