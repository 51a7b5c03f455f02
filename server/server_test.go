package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wordspace/wordspace/analogy"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/transformer"
)

// testVectors builds a small vocabulary whose geometry is known: axes for
// gender (she side positive), royalty and person, so that king − man +
// woman is exactly queen; professions leaning one way or the other; and
// 200 filler words with random vectors.
func testVectors(t testing.TB) *embed.Embeddings {
	t.Helper()
	const dim = 16
	rng := rand.New(rand.NewPCG(1, 2))
	var words []string
	var data []float32
	add := func(w string, v []float32) {
		words = append(words, w)
		row := make([]float32, dim)
		copy(row, v)
		for j := 4; j < dim; j++ {
			row[j] += float32(0.05 * rng.NormFloat64())
		}
		data = append(data, row...)
	}
	// Axes: 0 gender (+ female), 1 royalty, 2 person, 3 work.
	add("the", []float32{0, 0, 0, 0, 1})
	add("man", []float32{-1, 0, 1})
	add("woman", []float32{1, 0, 1})
	add("king", []float32{-1, 1, 0})
	add("queen", []float32{1, 1, 0})
	add("he", []float32{-1, 0, 0.8})
	add("she", []float32{1, 0, 0.8})
	add("his", []float32{-1, 0, 0.6})
	add("her", []float32{1, 0, 0.6})
	add("boy", []float32{-1, 0, 0.9, 0, 0.3})
	add("girl", []float32{1, 0, 0.9, 0, 0.3})
	add("nurse", []float32{0.6, 0, 0.3, 1})
	add("architect", []float32{-0.6, 0, 0.3, 1})
	add("doctor", []float32{-0.2, 0, 0.3, 1})
	add("teacher", []float32{0.3, 0, 0.3, 1})
	add("Paris", []float32{0, 0, 0, 0, -1})
	add("élan", []float32{0, 0, 0, 0, 0.5, 1})
	for i := range 200 {
		v := make([]float32, dim)
		for j := range v {
			v[j] = float32(rng.NormFloat64())
		}
		add(fmt.Sprintf("w%03d", i), v)
	}
	voc, err := embed.NewVocab(words, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := embed.New(voc, dim, data)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// newTestServer returns a server on testVectors with a quiet error log.
func newTestServer(t testing.TB, opts Options) (*Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	if opts.ErrorLog == nil {
		opts.ErrorLog = log.New(&syncWriter{w: &logs}, "", 0)
	}
	s, err := New(testVectors(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, &logs
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// do sends a request to h and returns the status and body.
func do(t testing.TB, h http.Handler, method, target, body string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if ct := rec.Header().Get("Content-Type"); strings.HasPrefix(target, "/api/") && !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: Content-Type %q, want JSON", method, target, ct)
	}
	return rec.Code, rec.Body.Bytes()
}

// get decodes a 200 answer into v.
func get(t testing.TB, h http.Handler, method, target, body string, v any) {
	t.Helper()
	code, b := do(t, h, method, target, body)
	if code != http.StatusOK {
		t.Fatalf("%s %s: status %d: %s", method, target, code, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s %s: %v in %s", method, target, err, b)
	}
}

// errorCase is a request that must fail with status and a JSON
// {"error": msg} whose message contains want.
type errorCase struct {
	method, target, body string
	status               int
	want                 string
}

func checkErrors(t *testing.T, h http.Handler, cases []errorCase) {
	t.Helper()
	for _, c := range cases {
		method := c.method
		if method == "" {
			method = "GET"
		}
		code, b := do(t, h, method, c.target, c.body)
		var e map[string]any
		if err := json.Unmarshal(b, &e); err != nil {
			t.Errorf("%s %s: body %q is not JSON: %v", method, c.target, b, err)
			continue
		}
		msg, isString := e["error"].(string)
		if code != c.status || len(e) != 1 || !isString || !strings.Contains(msg, c.want) {
			t.Errorf("%s %s %s:\n got %d %s\nwant %d {\"error\": \"…%s…\"}", method, c.target, c.body, code, b, c.status, c.want)
		}
	}
}

func TestInfo(t *testing.T) {
	s, _ := newTestServer(t, Options{Name: "test vectors"})
	var a infoAnswer
	get(t, s, "GET", "/api/info", "", &a)
	if a.Name != "test vectors" || a.Words != 217 || a.Dim != 16 || a.StartWord != "king" || a.Context != nil {
		t.Errorf("info %+v", a)
	}
	if l := a.Limits; l.MaxK != DefaultMaxK || l.MaxWords != DefaultMaxWords || l.MaxBodyBytes != DefaultMaxBodyBytes ||
		l.TimeoutSeconds != 30 || l.MaxComplete != maxComplete {
		t.Errorf("limits %+v", l)
	}
	checkErrors(t, s, []errorCase{
		{target: "/api/info?verbose=1", status: 400, want: `unknown parameter "verbose"`},
		{method: "POST", target: "/api/info", body: "{}", status: 405, want: "does not accept POST"},
	})
}

func TestComplete(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	for _, tc := range []struct {
		target string
		want   []string
	}{
		{"/api/complete?prefix=w00&n=4", []string{"w000", "w001", "w002", "w003"}},
		{"/api/complete?prefix=PAR", []string{"Paris"}},
		{"/api/complete?prefix=%C3%89", []string{"élan"}}, // É matches é
		{"/api/complete?prefix=he", []string{"he", "her"}},
		{"/api/complete?prefix=zzz", []string{}},
		{"/api/complete?prefix=w1&n=50", nil}, // checked below
	} {
		var a struct {
			Prefix string
			Words  []string
		}
		get(t, s, "GET", tc.target, "", &a)
		if tc.want != nil && !slices.Equal(a.Words, tc.want) {
			t.Errorf("%s: %q, want %q", tc.target, a.Words, tc.want)
		}
		if tc.want == nil {
			// w100 … w199: the 50 most frequent are w100 … w149, in order.
			if len(a.Words) != 50 || a.Words[0] != "w100" || a.Words[49] != "w149" {
				t.Errorf("%s: %q", tc.target, a.Words)
			}
		}
	}
	checkErrors(t, s, []errorCase{
		{target: "/api/complete", status: 400, want: `"prefix" (a word) is required`},
		{target: "/api/complete?prefix=", status: 400, want: `"prefix" (a word) is required`},
		{target: "/api/complete?prefix=a&n=0", status: 400, want: "n must be between 1 and 50"},
		{target: "/api/complete?prefix=a&n=51", status: 400, want: "n must be between 1 and 50"},
		{target: "/api/complete?prefix=a&n=x", status: 400, want: `n: "x" is not an integer`},
		{target: "/api/complete?prefix=a&prefix=b", status: 400, want: `parameter "prefix" given 2 times`},
		{target: "/api/complete?prefix=a&q=1", status: 400, want: `unknown parameter "q"`},
		{target: "/api/complete?prefix=%zz", status: 400, want: "malformed query string"},
	})
}

func TestNeighbors(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	var a struct {
		Word      string
		Positive  []string
		Negative  []string
		Neighbors []struct {
			Word   string
			Cosine float64
		}
	}
	get(t, s, "GET", "/api/neighbors?word=king&k=3", "", &a)
	want, err := s.emb.MostSimilar([]string{"king"}, nil, 3, embed.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Word != "king" || len(a.Neighbors) != 3 {
		t.Fatalf("answer %+v", a)
	}
	for i, n := range a.Neighbors {
		if n.Word != want[i].Word || float32(n.Cosine) != want[i].Score {
			t.Errorf("neighbour %d: %s %v, want %s %v", i, n.Word, n.Cosine, want[i].Word, want[i].Score)
		}
	}
	// The fixed contract: exactly these keys.
	_, raw := do(t, s, "GET", "/api/neighbors?word=king&k=2", "")
	var m map[string]json.RawMessage
	json.Unmarshal(raw, &m)
	var first []map[string]any
	json.Unmarshal(m["neighbors"], &first)
	if len(m) != 2 || m["word"] == nil || len(first) != 2 || len(first[0]) != 2 || first[0]["word"] == nil || first[0]["cosine"] == nil {
		t.Errorf("neighbors answer %s does not follow {word, neighbors: [{word, cosine}]}", raw)
	}

	// king − man + woman = queen.
	get(t, s, "GET", "/api/neighbors?positive=king,woman&negative=man&k=1", "", &a)
	if len(a.Neighbors) != 1 || a.Neighbors[0].Word != "queen" || !slices.Equal(a.Positive, []string{"king", "woman"}) {
		t.Errorf("king − man + woman: %+v", a)
	}
	get(t, s, "GET", "/api/neighbors?positive=king&positive=woman&negative=man&k=1", "", &a)
	if a.Neighbors[0].Word != "queen" {
		t.Errorf("repeated positive: %+v", a)
	}
	// restrict searches the most frequent words only.
	get(t, s, "GET", "/api/neighbors?word=king&k=5&restrict=5", "", &a)
	for _, n := range a.Neighbors {
		if i, _ := s.emb.Vocab().Index(n.Word); i >= 5 {
			t.Errorf("restrict=5 returned %q (index %d)", n.Word, i)
		}
	}

	checkErrors(t, s, []errorCase{
		{target: "/api/neighbors?word=kingdom", status: 404, want: `unknown word: "kingdom"`},
		{target: "/api/neighbors?word=paris", status: 404, want: `"paris" is not in the vocabulary`},
		{target: "/api/neighbors?word=KING", status: 404, want: `("king" is)`},
		{target: "/api/neighbors?positive=king&negative=xyz", status: 404, want: `"xyz"`},
		{target: "/api/neighbors", status: 400, want: `"word"`},
		{target: "/api/neighbors?word=king&k=0", status: 400, want: "k must be between 1 and 100"},
		{target: "/api/neighbors?word=king&k=101", status: 400, want: "k must be between 1 and 100"},
		{target: "/api/neighbors?word=king&k=ten", status: 400, want: "not an integer"},
		{target: "/api/neighbors?word=king&restrict=-1", status: 400, want: "restrict must be between 0"},
		{target: "/api/neighbors?word=king&positive=queen", status: 400, want: "not both"},
		{target: "/api/neighbors?word=king&word=queen", status: 400, want: "given 2 times"},
		{target: "/api/neighbors?wrod=king", status: 400, want: `unknown parameter "wrod"`},
		{method: "POST", target: "/api/neighbors?word=king", status: 405, want: "allowed: GET"},
		{method: "DELETE", target: "/api/neighbors?word=king", status: 405, want: "does not accept DELETE"},
	})
}

func TestSimilarity(t *testing.T) {
	s, _ := newTestServer(t, Options{MaxWords: 3, MaxBodyBytes: 200})
	type pairs struct {
		Pairs []struct {
			A, B   string
			Cosine float64
		}
	}
	var a pairs
	get(t, s, "GET", "/api/similarity?a=king&b=queen", "", &a)
	want, _ := s.emb.Similarity("king", "queen")
	if len(a.Pairs) != 1 || a.Pairs[0].A != "king" || a.Pairs[0].B != "queen" || float32(a.Pairs[0].Cosine) != want {
		t.Errorf("GET: %+v, want cosine %v", a, want)
	}
	get(t, s, "POST", "/api/similarity", `{"pairs": [["man", "woman"], ["nurse", "she"], ["nurse", "he"]]}`, &a)
	if len(a.Pairs) != 3 || a.Pairs[1].Cosine <= a.Pairs[2].Cosine {
		t.Errorf("POST: %+v; nurse should be closer to she than to he", a)
	}
	checkErrors(t, s, []errorCase{
		{target: "/api/similarity?a=king&b=kong", status: 404, want: `unknown word: "kong"`},
		{target: "/api/similarity?a=king", status: 400, want: `"b" (a word) is required`},
		{target: "/api/similarity?a=king&b=queen&c=x", status: 400, want: `unknown parameter "c"`},
		{method: "POST", target: "/api/similarity", body: `{"pairs": [["king", "kong"]]}`, status: 404, want: `"kong"`},
		{method: "POST", target: "/api/similarity", body: `{"pairs": [["king", "queen"]`, status: 400, want: "malformed JSON body"},
		{method: "POST", target: "/api/similarity", body: `{"pairs": [["king", "queen", "man"]]}`, status: 400, want: "pair 1 has 3 words"},
		{method: "POST", target: "/api/similarity", body: `{"pairs": [["king", ""]]}`, status: 400, want: "pair 1 has an empty word"},
		{method: "POST", target: "/api/similarity", body: `{"pairs": []}`, status: 400, want: "at least one pair"},
		{method: "POST", target: "/api/similarity", body: `{"pairs": [["a","b"],["a","b"],["a","b"],["a","b"]]}`, status: 400, want: "4 pairs: at most 3"},
		{method: "POST", target: "/api/similarity", body: `{"pears": []}`, status: 400, want: `unknown field "pears"`},
		{method: "POST", target: "/api/similarity", body: `{"pairs": [["king", "queen"]]} {}`, status: 400, want: "more than one JSON value"},
		{method: "POST", target: "/api/similarity", body: `[1, 2]`, status: 400, want: "malformed JSON body"},
		{method: "POST", target: "/api/similarity", body: "", status: 400, want: "empty body"},
		{method: "POST", target: "/api/similarity", body: `{"pairs": [["` + strings.Repeat("x", 300) + `", "y"]]}`, status: 413, want: "larger than 200 bytes"},
		{method: "POST", target: "/api/similarity?a=b", body: `{}`, status: 400, want: `unknown parameter "a"`},
		{method: "PUT", target: "/api/similarity", body: `{}`, status: 405, want: "allowed: GET, POST"},
	})
}

func TestAnalogy(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	var raw struct {
		A, B, C, Method string
		Answers         []struct {
			Word  string
			Score float64
		}
	}
	for _, m := range []struct{ param, name string }{{"", "3CosAdd"}, {"3cosadd", "3CosAdd"}, {"3cosmul", "3CosMul"}, {"pairdirection", "PairDirection"}} {
		target := "/api/analogy?a=man&b=king&c=woman&k=3"
		if m.param != "" {
			target += "&method=" + m.param
		}
		get(t, s, "GET", target, "", &raw)
		if raw.Method != m.name || raw.A != "man" || raw.B != "king" || raw.C != "woman" || len(raw.Answers) != 3 || raw.Answers[0].Word != "queen" {
			t.Errorf("%s: %+v", target, raw)
		}
		method, err := analogy.ParseMethod(m.name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := analogy.Solve(s.emb, "man", "king", "woman", analogy.Options{Method: method, K: 3})
		if err != nil || len(want) != 3 {
			t.Fatalf("%s: the library's answer %v, %v", target, want, err)
		}
		for i, w := range want {
			if raw.Answers[i].Word != w.Word || float32(raw.Answers[i].Score) != w.Score {
				t.Errorf("%s: answer %d %v, want %v", target, i, raw.Answers[i], w)
			}
		}
	}
	// keep=true lets the question words answer (Nissim et al. 2019).
	raw.Answers = nil
	get(t, s, "GET", "/api/analogy?a=she&b=her&c=he&k=5&keep=true", "", &raw)
	keep, err := analogy.Solve(s.emb, "she", "her", "he", analogy.Options{K: 5, KeepQuestionWords: true})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for i := range keep {
		got, want = append(got, raw.Answers[i].Word), append(want, keep[i].Word)
	}
	if !slices.Equal(got, want) || !slices.ContainsFunc(got, func(w string) bool { return w == "she" || w == "her" || w == "he" }) {
		t.Errorf("keep=true: %v, want %v with a question word among them", got, want)
	}
	checkErrors(t, s, []errorCase{
		{target: "/api/analogy?a=man&b=king&c=wombat", status: 404, want: `unknown word: "wombat"`},
		{target: "/api/analogy?a=man&b=king", status: 400, want: `"c" (a word) is required`},
		{target: "/api/analogy?a=man&b=king&c=woman&method=3cosdiv", status: 400, want: `method "3cosdiv"`},
		{target: "/api/analogy?a=man&b=king&c=woman&k=1000", status: 400, want: "k must be between 1 and 100"},
		{target: "/api/analogy?a=man&b=king&c=woman&keep=maybe", status: 400, want: `keep: "maybe" is not true or false`},
		{target: "/api/analogy?a=man&b=king&c=woman&restrict=3", status: 404, want: `"king" is not among the first 3 words`},
		{target: "/api/analogy?a=man&b=king&c=woman&d=queen", status: 400, want: `unknown parameter "d"`},
	})
}

func TestMap(t *testing.T) {
	s, _ := newTestServer(t, Options{MaxWords: 30})
	type answer struct {
		Method, Center    string
		Points            []mapPoint
		ExplainedVariance []float64 `json:"explained_variance"`
		KL                *float64  `json:"kl_divergence"`
		Perplexity        float64
		Iterations        int
	}
	var a answer
	fresh := func() *answer { a = answer{}; return &a }
	// The neighbourhood of a word: the word first, then its neighbours.
	get(t, s, "GET", "/api/map?word=king&k=10", "", fresh())
	nn, err := s.emb.MostSimilar([]string{"king"}, nil, 10, embed.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Method != "pca" || a.Center != "king" || len(a.Points) != 11 || a.Points[0].Word != "king" || len(a.ExplainedVariance) != 2 || a.KL != nil {
		t.Fatalf("PCA map: %+v", a)
	}
	for i, n := range nn {
		p := a.Points[i+1]
		if p.Word != n.Word || p.Cosine == nil || float32(*p.Cosine) != n.Score || math.IsNaN(p.X) {
			t.Errorf("point %d: %+v, want %s with cosine %v", i+1, p, n.Word, n.Score)
		}
	}
	if *a.Points[0].Cosine < 0.9999 {
		t.Errorf("the centre's cosine with itself is %v", *a.Points[0].Cosine)
	}
	get(t, s, "GET", "/api/map?word=king&k=20&method=tsne&perplexity=5", "", fresh())
	if a.Method != "tsne" || len(a.Points) != 21 || a.KL == nil || a.Perplexity != 5 || a.Iterations < 250 || a.ExplainedVariance != nil {
		t.Errorf("t-SNE map: %+v", a)
	}
	// An explicit set: PCA of the gender and royalty words puts the two
	// main axes apart — king and queen differ along one axis as man and
	// woman do.
	get(t, s, "GET", "/api/map?words=king,queen,man,woman,king", "", fresh())
	if len(a.Points) != 4 || a.Center != "" || a.Points[0].Cosine != nil {
		t.Fatalf("word set: %+v", a)
	}
	pt := map[string]mapPoint{}
	for _, p := range a.Points {
		pt[p.Word] = p
	}
	dq := [2]float64{pt["queen"].X - pt["king"].X, pt["queen"].Y - pt["king"].Y}
	dw := [2]float64{pt["woman"].X - pt["man"].X, pt["woman"].Y - pt["man"].Y}
	if math.Abs(dq[0]-dw[0]) > 0.05 || math.Abs(dq[1]-dw[1]) > 0.05 {
		t.Errorf("king→queen %v and man→woman %v should be parallel in the PCA map", dq, dw)
	}
	get(t, s, "POST", "/api/map", `{"words": ["nurse", "doctor", "teacher"], "center": "architect", "method": "t-SNE"}`, fresh())
	if a.Method != "tsne" || len(a.Points) != 4 || a.Points[0].Word != "architect" {
		t.Errorf("POST: %+v", a)
	}
	get(t, s, "POST", "/api/map", `{"center": "queen", "k": 5}`, fresh())
	if len(a.Points) != 6 || a.Method != "pca" {
		t.Errorf("POST neighbourhood: %+v", a)
	}
	checkErrors(t, s, []errorCase{
		{target: "/api/map?word=kingdom", status: 404, want: `unknown word: "kingdom"`},
		{target: "/api/map?words=king,queen,kingdom", status: 404, want: `"kingdom"`},
		{target: "/api/map", status: 400, want: "give a centre word"},
		{target: "/api/map?word=king&method=umap", status: 400, want: `method "umap": use pca or tsne`},
		{target: "/api/map?word=king&k=101", status: 400, want: "k must be between 1 and 100"},
		{target: "/api/map?word=king&k=40", status: 400, want: "41 words: at most 30"},
		{target: "/api/map?words=" + distinct(31), status: 400, want: "31 words: at most 30"},
		{target: "/api/map?words=king,queen&method=tsne", status: 400, want: "at least 3 words"},
		{target: "/api/map?words=king", status: 400, want: "at least 2 words"},
		{target: "/api/map?word=king&k=5&method=tsne&perplexity=6", status: 400, want: "perplexity 6 must be below the number of words (6)"},
		{target: "/api/map?word=king&perplexity=0.5", status: 400, want: "perplexity must be between 1 and 1000"},
		{target: "/api/map?word=king&perplexity=NaN", status: 400, want: `perplexity: "NaN" is not a number`},
		{method: "POST", target: "/api/map", body: `{"center": "king", "k": -1}`, status: 400, want: "k must be between 1 and 100"},
		{method: "POST", target: "/api/map", body: `{"center": "king", "restrict": -1}`, status: 400, want: "restrict must not be negative"},
		{method: "POST", target: "/api/map", body: `{"center": "king", "perplexity": 0.5}`, status: 400, want: "perplexity must be between 1 and 1000"},
		{method: "POST", target: "/api/map", body: `{"words": "king"}`, status: 400, want: "malformed JSON body"},
	})
	// Repeated words count once.
	many := strings.Repeat("w001,", 30) + "w002"
	get(t, s, "GET", "/api/map?words="+many, "", fresh())
	if len(a.Points) != 2 {
		t.Errorf("repeated words: %d points, want 2", len(a.Points))
	}
}

// distinct returns n different filler words, comma-separated.
func distinct(n int) string {
	var ws []string
	for i := range n {
		ws = append(ws, fmt.Sprintf("w%03d", i))
	}
	return strings.Join(ws, ",")
}

func TestAxis(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	var a struct {
		Pairs        [][2]string
		MissingPairs [][2]string `json:"missing_pairs"`
		Explained    float64     `json:"explained_variance"`
		Words        []axisWord
		DirectBias   *directBias `json:"direct_bias"`
		WEAT         []weatFigure
	}
	// Bolukbasi's pairs: those in the vocabulary are used, the others
	// reported; the professions in the vocabulary are projected.
	get(t, s, "GET", "/api/axis", "", &a)
	wantPairs := [][2]string{{"woman", "man"}, {"girl", "boy"}, {"she", "he"}, {"her", "his"}}
	if !slices.Equal(a.Pairs, wantPairs) || len(a.MissingPairs) != 6 || a.Explained < 0.9 {
		t.Errorf("default pairs %v (missing %v), explained %v", a.Pairs, a.MissingPairs, a.Explained)
	}
	proj := map[string]axisWord{}
	for _, w := range a.Words {
		proj[w.Word] = w
	}
	for _, w := range []string{"nurse", "architect", "doctor", "teacher"} {
		if proj[w].Kind != "profession" || proj[w].Stereotype == nil {
			t.Errorf("%s: %+v, want a profession with a stereotype score", w, proj[w])
		}
	}
	if proj["she"].Kind != "pair" || proj["she"].Projection <= 0 || proj["he"].Projection >= 0 {
		t.Errorf("she %+v, he %+v: she should be a positive pair word", proj["she"], proj["he"])
	}
	if !(proj["nurse"].Projection > proj["teacher"].Projection && proj["teacher"].Projection > proj["doctor"].Projection &&
		proj["doctor"].Projection > proj["architect"].Projection) {
		t.Errorf("projections nurse %v > teacher %v > doctor %v > architect %v expected", proj["nurse"].Projection,
			proj["teacher"].Projection, proj["doctor"].Projection, proj["architect"].Projection)
	}
	if a.DirectBias == nil || a.DirectBias.Words != 4 || a.DirectBias.Value <= 0 || a.DirectBias.C != 1 {
		t.Errorf("direct bias %+v", a.DirectBias)
	}
	if len(a.WEAT) != 3 || a.WEAT[0].ID != 6 || a.WEAT[0].Error == "" {
		t.Errorf("WEAT %+v: want tests 6-8, failing for lack of words", a.WEAT)
	}
	// One pair, chosen words (a gendered one among them is left out of
	// the direct bias).
	get(t, s, "GET", "/api/axis?pairs=she:he&words=nurse,architect,queen", "", &a)
	if !slices.Equal(a.Pairs, [][2]string{{"she", "he"}}) || len(a.Words) != 5 || a.DirectBias == nil ||
		a.DirectBias.Words != 2 || !slices.Equal(a.DirectBias.Gendered, []string{"queen"}) {
		t.Errorf("she:he: %+v", a)
	}
	get(t, s, "POST", "/api/axis", `{"pairs": [["he", "she"]], "words": ["nurse"]}`, &a)
	if a.Words[0].Word != "nurse" || a.Words[0].Projection >= 0 || a.DirectBias != nil {
		t.Errorf("he:she puts nurse on the negative side alone: %+v", a)
	}
	checkErrors(t, s, []errorCase{
		{target: "/api/axis?pairs=she:hee", status: 404, want: `unknown word: "hee"`},
		{target: "/api/axis?words=nurse,plumber", status: 404, want: `"plumber"`},
		{target: "/api/axis?pairs=she-he", status: 400, want: `pair "she-he": write pairs as first:second`},
		{target: "/api/axis?pairs=she:he:it", status: 400, want: "write pairs as first:second"},
		{target: "/api/axis?pairs=she:she", status: 400, want: `joins "she" to itself`},
		{target: "/api/axis?pair=she:he", status: 400, want: `unknown parameter "pair"`},
		{method: "POST", target: "/api/axis", body: `{"pairs": [["she"]]}`, status: 400, want: "pair 1 has 1 words"},
		{method: "POST", target: "/api/axis", body: `{"pairs": [["she", ""]]}`, status: 400, want: "pair 1 has an empty word"},
		{method: "POST", target: "/api/axis", body: `{"words": [""]}`, status: 400, want: "empty word in words"},
		{method: "POST", target: "/api/axis", body: `{"words": 3}`, status: 400, want: "malformed JSON body"},
	})
}

// tinyModel is an untrained transformer over the test vocabulary: enough
// to check shapes, not meanings.
func tinyModel(t testing.TB, words []string) *transformer.Model {
	cfg := transformer.Config{DModel: 16, Heads: 2, Layers: 2, DFF: 32, Context: 8, Seed: 1}
	m, err := transformer.New(cfg, words)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestContext(t *testing.T) {
	plain, _ := newTestServer(t, Options{})
	checkErrors(t, plain, []errorCase{
		{target: "/api/context?text=the+king", status: 404, want: "no transformer loaded"},
	})
	e := testVectors(t)
	s, err := New(e, Options{Context: tinyModel(t, e.Vocab().Words()[:50])})
	if err != nil {
		t.Fatal(err)
	}
	var info infoAnswer
	get(t, s, "GET", "/api/info", "", &info)
	if c := info.Context; c == nil || c.Layers != 2 || c.Heads != 2 || c.MaxWords != 7 || c.Vocab != 50 {
		t.Errorf("context info %+v", c)
	}
	var a struct {
		Tokens    []string
		Unknown   []string
		Layers    []contextLayer
		Attention [][][][]float64
	}
	get(t, s, "GET", "/api/context?text=the+king+zebra+queen&k=3", "", &a)
	if !slices.Equal(a.Tokens, []string{"<bos>", "the", "king", "<unk>", "queen"}) || !slices.Equal(a.Unknown, []string{"zebra"}) {
		t.Errorf("tokens %q, unknown %q", a.Tokens, a.Unknown)
	}
	if len(a.Layers) != 4 || a.Layers[0].Name != "input (token + position)" || len(a.Layers[3].Neighbors) != 4 || len(a.Layers[3].Neighbors[0]) != 3 {
		t.Errorf("layers %+v", a.Layers)
	}
	if len(a.Attention) != 2 || len(a.Attention[1]) != 2 || len(a.Attention[1][1]) != 5 {
		t.Fatalf("attention shape %d layers", len(a.Attention))
	}
	for p, row := range a.Attention[1][1] {
		var sum float64
		for q, v := range row {
			if q > p && v != 0 {
				t.Errorf("position %d attends to the later position %d", p, q)
			}
			sum += v
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Errorf("attention row %d sums to %v", p, sum)
		}
	}
	checkErrors(t, s, []errorCase{
		{target: "/api/context", status: 400, want: `"text" (a sentence) is required`},
		{target: "/api/context?text=+++", status: 400, want: `"text" (a sentence) is required`},
		{target: "/api/context?text=a+b+c+d+e+f+g+h", status: 400, want: "8 words: the model reads at most 7"},
		{target: "/api/context?text=the&k=21", status: 400, want: "k must be between 1 and 20"},
		{target: "/api/context?text=the&layer=1", status: 400, want: `unknown parameter "layer"`},
	})
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	var doc struct {
		OpenAPI string
		Paths   map[string]map[string]json.RawMessage
	}
	get(t, s, "GET", "/api/openapi.json", "", &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	for path, rt := range s.routes {
		for method := range rt {
			if doc.Paths[path][strings.ToLower(method)] == nil {
				t.Errorf("%s %s is not described", method, path)
			}
		}
	}
	for path, ops := range doc.Paths {
		for op := range ops {
			if s.routes[path][strings.ToUpper(op)] == nil {
				t.Errorf("described %s %s is not served", op, path)
			}
		}
	}
}

func TestRoutingAndPage(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	checkErrors(t, s, []errorCase{
		{target: "/api/nothing", status: 404, want: "no such endpoint: /api/nothing"},
		{target: "/api", status: 404, want: "no such endpoint"},
		{target: "/api/info/", status: 404, want: "no such endpoint"},
	})
	req := httptest.NewRequest("GET", "/", nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "<script") || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Errorf("GET /: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	for _, asset := range []string{"/app.js", "/style.css"} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", asset, nil))
		if rec.Code != 200 || rec.Body.Len() < 100 {
			t.Errorf("GET %s: %d, %d bytes", asset, rec.Code, rec.Body.Len())
		}
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "/", strings.NewReader("x")))
	if rec.Code != 405 {
		t.Errorf("POST /: %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/../../etc/passwd", nil))
	if rec.Code == 200 && strings.Contains(rec.Body.String(), "root:") {
		t.Error("a path escaped the embedded files")
	}
}

// A handler that panics answers 500 with a JSON error, the panic is
// logged, and the server goes on answering.
func TestPanicIsContained(t *testing.T) {
	s, logs := newTestServer(t, Options{})
	s.routes["/api/boom"] = route{"GET": func(w http.ResponseWriter, r *http.Request) error { panic("boom") }}
	ts := httptest.NewServer(s)
	defer ts.Close()
	for range 3 {
		resp, err := http.Get(ts.URL + "/api/boom")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 500 || !strings.Contains(string(b), `"error":"internal error`) {
			t.Errorf("panic: %d %s", resp.StatusCode, b)
		}
	}
	if !strings.Contains(logs.String(), "panic serving GET /api/boom: boom") {
		t.Errorf("log %q", logs.String())
	}
	resp, err := http.Get(ts.URL + "/api/neighbors?word=king")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after the panics: %v %v", resp, err)
	}
	resp.Body.Close()
}

// A request that cannot get a computation slot before its deadline gets
// 503, and so does a t-SNE map that runs past it.
func TestTimeouts(t *testing.T) {
	s, _ := newTestServer(t, Options{Timeout: 100 * time.Millisecond, MaxInFlight: 1})
	hold, release := make(chan struct{}), make(chan struct{})
	go s.compute(context.Background(), func() error { close(hold); <-release; return nil })
	<-hold
	checkErrors(t, s, []errorCase{
		{target: "/api/neighbors?word=king", status: 503, want: "timed out after 100ms"},
	})
	close(release)
	// Cheap answers need no slot and come back at once.
	code, _ := do(t, s, "GET", "/api/complete?prefix=k", "")
	if code != 200 {
		t.Errorf("completion: %d", code)
	}
	// A t-SNE of the whole vocabulary (217 words, about 50 million pair
	// terms) stops at its deadline: the answer is 503, and soon.
	slow, _ := newTestServer(t, Options{Timeout: 5 * time.Millisecond, MaxWords: 300})
	all, _ := json.Marshal(map[string]any{"words": slow.emb.Vocab().Words(), "method": "tsne"})
	start := time.Now()
	checkErrors(t, slow, []errorCase{
		{method: "POST", target: "/api/map", body: string(all), status: 503, want: "timed out after 5ms"},
	})
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the timed-out t-SNE answered after %v", d)
	}
}

// Serve shuts down gracefully: when its context is cancelled a request in
// flight still gets its whole answer, then Serve returns nil.
func TestServeGracefulShutdown(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	entered, release := make(chan struct{}), make(chan struct{})
	s.routes["/api/slow"] = route{"GET": func(w http.ResponseWriter, r *http.Request) error {
		close(entered)
		<-release
		return ok(w, map[string]string{"done": "yes"})
	}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/api/slow")
		if err != nil {
			answer <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answer <- fmt.Sprintf("%d %s", resp.StatusCode, bytes.TrimSpace(b))
	}()
	<-entered
	cancel()
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v with a request in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if got := <-answer; got != `200 {"done":"yes"}` {
		t.Errorf("in-flight request got %q", got)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after the last request")
	}
	if _, err := http.Get(base + "/api/info"); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}
}

// Many clients at once get the same answers as one at a time (run with
// -race to check the shared state).
func TestConcurrentRequests(t *testing.T) {
	s, _ := newTestServer(t, Options{MaxInFlight: 2})
	targets := []string{
		"/api/neighbors?word=king&k=5",
		"/api/analogy?a=man&b=king&c=woman&method=3cosmul",
		"/api/similarity?a=nurse&b=she",
		"/api/complete?prefix=w1",
		"/api/map?word=queen&k=12&method=tsne",
		"/api/axis",
		"/api/neighbors?word=nobody",
	}
	want := map[string]string{}
	for _, tg := range targets {
		_, b := do(t, s, "GET", tg, "")
		want[tg] = string(b)
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				tg := targets[(g+i)%len(targets)]
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, httptest.NewRequest("GET", tg, nil))
				if rec.Body.String() != want[tg] {
					t.Errorf("%s: concurrent answer differs", tg)
				}
			}
		}()
	}
	wg.Wait()
}

func TestNewRejectsBadOptions(t *testing.T) {
	e := testVectors(t)
	if _, err := New(e, Options{MaxK: -1}); err == nil {
		t.Error("negative MaxK accepted")
	}
	if _, err := New(nil, Options{}); err == nil {
		t.Error("nil vectors accepted")
	}
}

func TestQueryOptionsApply(t *testing.T) {
	// The seam for an approximate index: options given to the server reach
	// every neighbour search. Restrict stands in for an index here.
	s, _ := newTestServer(t, Options{Query: embed.QueryOptions{Restrict: 10}})
	var a struct{ Neighbors []neighbor }
	get(t, s, "GET", "/api/neighbors?word=king&k=20", "", &a)
	if len(a.Neighbors) != 9 {
		t.Errorf("with Restrict(10) as a server query option: %d neighbours, want 9", len(a.Neighbors))
	}
}

// countingIndex is an embed.Searcher that scans exactly and counts the
// searches it answered.
type countingIndex struct {
	e     *embed.Embeddings
	calls atomic.Int64
}

func (c *countingIndex) Search(q []float32, k int, skip func(int) bool) ([]embed.Neighbor, error) {
	c.calls.Add(1)
	var exclude []string
	for i := range c.e.Len() {
		if skip != nil && skip(i) {
			exclude = append(exclude, c.e.Vocab().Word(i))
		}
	}
	return c.e.MostSimilarToVector(q, k, embed.QueryOptions{Exclude: exclude})
}

func TestQueryIndex(t *testing.T) {
	// An index given as a query option answers the neighbour searches.
	idx := &countingIndex{e: testVectors(t)}
	s, _ := newTestServer(t, Options{Query: embed.QueryOptions{Index: idx}})
	plain, _ := newTestServer(t, Options{})
	_, got := do(t, s, "GET", "/api/neighbors?word=king&k=5", "")
	_, want := do(t, plain, "GET", "/api/neighbors?word=king&k=5", "")
	if string(got) != string(want) {
		t.Errorf("with an index: %s, want %s", got, want)
	}
	if idx.calls.Load() == 0 {
		t.Error("the index was not asked")
	}
}

// Neighbour queries waiting together are answered by one batched search,
// with exactly the answers each would get alone.
func TestNeighborBatching(t *testing.T) {
	s, _ := newTestServer(t, Options{MaxInFlight: 1})
	words := s.emb.Vocab().Words()[:30]
	lone := map[string]string{}
	for _, w := range words {
		_, b := do(t, s, "GET", "/api/neighbors?k=7&word="+w, "")
		lone[w] = string(b)
	}
	s.batch.mu.Lock()
	before := s.batch.runs
	s.batch.mu.Unlock()
	// Hold the only slot while the queries queue up.
	s.slots <- struct{}{}
	var wg sync.WaitGroup
	got := make([]string, len(words))
	for i, w := range words {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, b := do(t, s, "GET", "/api/neighbors?k=7&word="+w, "")
			got[i] = string(b)
		}()
	}
	for {
		s.batch.mu.Lock()
		n := len(s.batch.queue)
		s.batch.mu.Unlock()
		if n == len(words) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	<-s.slots
	wg.Wait()
	for i, w := range words {
		if got[i] != lone[w] {
			t.Errorf("%s: batched answer %s, alone %s", w, got[i], lone[w])
		}
	}
	s.batch.mu.Lock()
	runs := s.batch.runs - before
	s.batch.mu.Unlock()
	if runs != 1 {
		t.Errorf("%d queued queries took %d batches, want 1", len(words), runs)
	}
}

// Vectors that a measure cannot use give clear errors: a question word
// with a zero vector, a direction whose pairs are missing or degenerate.
func TestUnusableVectors(t *testing.T) {
	words := []string{"up", "down", "twin1", "twin2", "void", "a", "b", "c"}
	data := []float32{
		1, 0, 0,
		-1, 0, 0,
		0, 1, 1,
		0, 1, 1,
		0, 0, 0,
		1, 1, 0,
		0, 1, 0,
		1, 0, 1,
	}
	voc, _ := embed.NewVocab(words, nil)
	e, err := embed.New(voc, 3, data)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(e, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkErrors(t, s, []errorCase{
		{target: "/api/analogy?a=void&b=a&c=b", status: 400, want: "zero vector"},
		{target: "/api/axis", status: 404, want: "too few of the direction's pairs are in the vocabulary"},
		{target: "/api/axis?pairs=twin1:twin2", status: 400, want: "equal vectors"},
	})
	// A zero vector is still a word: its neighbours all have cosine 0.
	var a struct{ Neighbors []neighbor }
	get(t, s, "GET", "/api/neighbors?word=void&k=2", "", &a)
	if len(a.Neighbors) != 2 || a.Neighbors[0].Cosine != 0 {
		t.Errorf("neighbours of a zero vector: %+v", a)
	}
}
