package project

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// ErrInput is matched (with errors.Is) by every error about unusable input:
// too few points, a length that is not a multiple of the dimension, values
// that are not finite, options out of range.
var ErrInput = errors.New("project: bad input")

// PCAOptions controls PCA. The zero value projects on two components.
type PCAOptions struct {
	// Dims is the number of output dimensions (components); 0 means 2.
	Dims int
}

// PCAResult is a projection on principal components.
type PCAResult struct {
	// Coords holds n rows of Dims coordinates, row-major: point i's
	// coordinate along component c is Coords[i*Dims+c].
	Coords []float64
	Dims   int
	// Components holds Dims rows of dim values: the unit directions
	// projected on, strongest first.
	Components []float64
	// Mean is the centre subtracted before projecting.
	Mean []float64
	// ExplainedVariance is the share of the points' total variance along
	// each component, in [0, 1], in decreasing order; their sum says how
	// much of the spread the picture shows.
	ExplainedVariance []float64
}

// PCA projects the n = len(x)/dim points of x on their first opts.Dims
// principal components, computed by a singular value decomposition of the
// centred points (in float64). Each component's sign is chosen so that the
// point furthest along it has a positive coordinate, which makes the result
// independent of the decomposition's arbitrary signs. When there are fewer
// components than asked for (fewer distinct points than Dims+1, or dim <
// Dims), the missing coordinates are zero.
func PCA(x []float32, dim int, opts PCAOptions) (*PCAResult, error) {
	n, err := checkPoints(x, dim, 2)
	if err != nil {
		return nil, err
	}
	dims := opts.Dims
	if dims == 0 {
		dims = 2
	}
	if dims < 0 {
		return nil, fmt.Errorf("%w: %d output dimensions", ErrInput, dims)
	}
	mean := make([]float64, dim)
	for i := range n {
		for j, v := range x[i*dim : (i+1)*dim] {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	c := mat.NewDense(n, dim, nil)
	for i := range n {
		for j, v := range x[i*dim : (i+1)*dim] {
			c.Set(i, j, float64(v)-mean[j])
		}
	}
	var svd mat.SVD
	if !svd.Factorize(c, mat.SVDThinV) {
		return nil, fmt.Errorf("project: singular value decomposition did not converge")
	}
	sv := svd.Values(nil)
	var v mat.Dense
	svd.VTo(&v)
	var total float64
	for _, s := range sv {
		total += s * s
	}
	res := &PCAResult{
		Coords:            make([]float64, n*dims),
		Dims:              dims,
		Components:        make([]float64, dims*dim),
		Mean:              mean,
		ExplainedVariance: make([]float64, dims),
	}
	for k := range min(dims, len(sv)) {
		if total == 0 || sv[k] == 0 {
			break // no spread left: the remaining coordinates stay zero
		}
		comp := res.Components[k*dim : (k+1)*dim]
		for j := range comp {
			comp[j] = v.At(j, k)
		}
		col := make([]float64, n)
		far := 0
		for i := range n {
			var s float64
			for j, v := range c.RawRowView(i) {
				s += v * comp[j]
			}
			col[i] = s
			if math.Abs(s) > math.Abs(col[far]) {
				far = i
			}
		}
		sign := 1.0
		if col[far] < 0 {
			sign = -1
			for j := range comp {
				comp[j] = -comp[j]
			}
		}
		for i, v := range col {
			res.Coords[i*dims+k] = sign * v
		}
		res.ExplainedVariance[k] = sv[k] * sv[k] / total
	}
	return res, nil
}

// checkPoints checks that x holds at least minPoints finite points of dim
// values and returns their number.
func checkPoints(x []float32, dim, minPoints int) (int, error) {
	if dim <= 0 {
		return 0, fmt.Errorf("%w: dimension %d", ErrInput, dim)
	}
	if len(x)%dim != 0 {
		return 0, fmt.Errorf("%w: %d values do not make rows of %d", ErrInput, len(x), dim)
	}
	n := len(x) / dim
	if n < minPoints {
		return 0, fmt.Errorf("%w: %d points, need at least %d", ErrInput, n, minPoints)
	}
	for i, v := range x {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return 0, fmt.Errorf("%w: value %v at point %d, coordinate %d", ErrInput, v, i/dim, i%dim)
		}
	}
	return n, nil
}
