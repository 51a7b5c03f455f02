package ppmi

import (
	"math"
	"testing"

	"github.com/james-bowman/sparse"
)

// handCounts is the symmetric count matrix of three words x, y, z:
//
//	     x  y  z      row sums #(w): x = 4+2 = 6, y = 4+2 = 6, z = 2+6 = 8
//	x    0  4  2      column sums #(c): the same (symmetric); total D = 20
//	y    4  2  0
//	z    2  0  6
func handCounts() *sparse.CSR {
	d := sparse.NewDOK(3, 3)
	for _, e := range []struct {
		i, j int
		v    float64
	}{{0, 1, 4}, {0, 2, 2}, {1, 0, 4}, {1, 1, 2}, {2, 0, 2}, {2, 2, 6}} {
		d.Set(e.i, e.j, e.v)
	}
	return d.ToCSR()
}

func TestPPMIByHand(t *testing.T) {
	type entry struct {
		i, j int
		v    float64
	}
	tests := []struct {
		name string
		opts PMIOptions
		want []entry // every stored entry; the rest must be absent
	}{
		{
			// α = 1: PMI = log(#(w,c)·D / (#(w)·#(c))).
			//   (x,y) = (y,x) = log(4·20 / (6·6)) = log(80/36)  = log 2.2222… =  0.7985077
			//   (y,y)         = log(2·20 / (6·6)) = log(40/36)  = log 1.1111… =  0.1053605
			//   (z,z)         = log(6·20 / (8·8)) = log(120/64) = log 1.875   =  0.6286087
			//   (x,z) = (z,x) = log(2·20 / (6·8)) = log(40/48)  = log 0.8333… = −0.1823216 → dropped
			name: "no smoothing",
			opts: PMIOptions{Smoothing: 1},
			want: []entry{{0, 1, 0.7985077}, {1, 0, 0.7985077}, {1, 1, 0.1053605}, {2, 2, 0.6286087}},
		},
		{
			// Shift k = 2 subtracts log 2 = 0.6931472:
			//   (x,y) = (y,x) = 0.7985077 − 0.6931472 = 0.1053605
			//   (y,y) = 0.1053605 − 0.6931472 < 0, (z,z) = 0.6286087 − 0.6931472 < 0: dropped
			name: "shift 2",
			opts: PMIOptions{Smoothing: 1, Shift: 2},
			want: []entry{{0, 1, 0.1053605}, {1, 0, 0.1053605}},
		},
		{
			// α = 0.75 (the default): 6^0.75 = 3.8336586, 8^0.75 = 4.7568285,
			// Σ = 2·3.8336586 + 4.7568285 = 12.4241457, so
			// P(x) = P(y) = 3.8336586/12.4241457 = 0.3085652, P(z) = 0.3828697.
			// PMI = log(#(w,c) / (#(w)·P(c))):
			//   (x,y) = log(4 / (6·0.3085652)) = log(4/1.8513910) = log 2.1605362 =  0.7703571
			//   (y,x) = the same (#(y) = #(x), P(x) = P(y))                       =  0.7703571
			//   (y,y) = log(2 / 1.8513910)                     = log 1.0802681 =  0.0772099
			//   (z,z) = log(6 / (8·0.3828697)) = log(6/3.0629577) = log 1.9588916 = 0.6723786
			//   (x,z) = log(2 / (6·0.3828697)) = log(2/2.2972183) = log 0.8706177 = −0.1385516 → dropped
			//   (z,x) = log(2 / (8·0.3085652)) = log(2/2.4685215) = log 0.8102016 = −0.2104721 → dropped
			name: "smoothing 0.75",
			opts: PMIOptions{},
			want: []entry{{0, 1, 0.7703571}, {1, 0, 0.7703571}, {1, 1, 0.0772099}, {2, 2, 0.6723786}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := FromCounts(handCounts(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if m.NNZ() != len(tt.want) {
				t.Errorf("%d stored entries, want %d", m.NNZ(), len(tt.want))
			}
			for _, e := range tt.want {
				if got := m.At(e.i, e.j); math.Abs(got-e.v) > 1e-6 {
					t.Errorf("PPMI(%d,%d) = %.7f, want %.7f", e.i, e.j, got, e.v)
				}
			}
		})
	}
}

func TestPPMIErrors(t *testing.T) {
	for _, o := range []PMIOptions{{Smoothing: -1}, {Smoothing: 1.5}, {Shift: 0.5}, {Smoothing: math.NaN()}, {Shift: math.Inf(1)}} {
		if _, err := FromCounts(handCounts(), o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	neg := handCounts()
	neg.RawMatrix().Data[0] = -1
	if _, err := FromCounts(neg, PMIOptions{}); err == nil {
		t.Error("negative count: no error")
	}
	nan := handCounts()
	nan.RawMatrix().Data[0] = math.NaN()
	if _, err := FromCounts(nan, PMIOptions{}); err == nil {
		t.Error("NaN count: no error")
	}
	if _, err := FromCounts(sparse.NewCSR(2, 2, []int{0, 0, 0}, nil, nil), PMIOptions{}); err == nil {
		t.Error("all-zero matrix: no error")
	}
}
