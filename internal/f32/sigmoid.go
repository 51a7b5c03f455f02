package f32

import "math"

// The table-based sigmoid follows the word2vec C tool: 1000 samples of
// the logistic function on [-MaxExp, MaxExp], no interpolation. Training
// looks the sigmoid up tens of times per word, and the table's error
// (below 0.004) is far smaller than the noise of stochastic gradients.
const (
	// MaxExp bounds the arguments the tables cover; beyond it the sigmoid
	// is taken as 0 or 1.
	MaxExp = 6
	// expTableSize is the number of samples in the tables.
	expTableSize = 1000
)

var (
	sigmoidTable    [expTableSize + 1]float32
	logSigmoidTable [expTableSize + 1]float32
	// sigLogTable interleaves the two, so that the assembly kernel finds
	// both values of an index in one cache line.
	sigLogTable [2 * (expTableSize + 1)]float32
)

func init() {
	for i := range sigmoidTable {
		x := (float64(i)/expTableSize*2 - 1) * MaxExp
		s := 1 / (1 + math.Exp(-x))
		sigmoidTable[i] = float32(s)
		logSigmoidTable[i] = float32(math.Log(s))
		sigLogTable[2*i], sigLogTable[2*i+1] = sigmoidTable[i], logSigmoidTable[i]
	}
}

// FastSigmoid returns 1/(1+exp(-x)) from a table of 1000 samples, as the
// word2vec C tool does: exact to within 0.004, 0 below -MaxExp and 1 above
// MaxExp.
func FastSigmoid(x float32) float32 {
	if x <= -MaxExp {
		return 0
	}
	if x >= MaxExp {
		return 1
	}
	return sigmoidTable[int((x+MaxExp)*(expTableSize/(2.0*MaxExp)))]
}

// FastLogSigmoid returns log(1/(1+exp(-x))) from a table like FastSigmoid's,
// and the exact asymptote -x beyond -MaxExp (0 beyond MaxExp). Training
// uses it for its running loss.
func FastLogSigmoid(x float32) float32 {
	if x <= -MaxExp {
		return x
	}
	if x >= MaxExp {
		return 0
	}
	return logSigmoidTable[int((x+MaxExp)*(expTableSize/(2.0*MaxExp)))]
}

// FastSigmoidLog returns FastSigmoid(x) and FastLogSigmoid(x) from one
// table index. Training needs both for every example: the sigmoid for
// the gradient and its logarithm for the loss (log σ(-x) is
// FastLogSigmoid(x) - x).
func FastSigmoidLog(x float32) (s, logS float32) {
	if x <= -MaxExp {
		return 0, x
	}
	if x >= MaxExp {
		return 1, 0
	}
	i := int((x + MaxExp) * (expTableSize / (2.0 * MaxExp)))
	return sigmoidTable[i], logSigmoidTable[i]
}
