package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/wordspace/wordspace/analogy"
	"github.com/wordspace/wordspace/bias"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/project"
	"github.com/wordspace/wordspace/transformer"
)

// neighbor is one word of an answer with its cosine to the query.
type neighbor struct {
	Word   string `json:"word"`
	Cosine score  `json:"cosine"`
}

func neighborsOf(ns []embed.Neighbor) []neighbor {
	out := make([]neighbor, len(ns))
	for i, n := range ns {
		out[i] = neighbor{n.Word, score(n.Score)}
	}
	return out
}

// GET /api/info

type infoAnswer struct {
	Name      string       `json:"name"`
	Words     int          `json:"words"`
	Dim       int          `json:"dim"`
	StartWord string       `json:"start_word"`
	Context   *contextInfo `json:"context"`
	Limits    limits       `json:"limits"`
}

type contextInfo struct {
	Layers   int `json:"layers"`
	Heads    int `json:"heads"`
	DModel   int `json:"d_model"`
	Vocab    int `json:"vocab"`
	MaxWords int `json:"max_words"`
}

type limits struct {
	MaxK           int     `json:"max_k"`
	MaxWords       int     `json:"max_words"`
	MaxComplete    int     `json:"max_complete"`
	MaxBodyBytes   int64   `json:"max_body_bytes"`
	TimeoutSeconds float64 `json:"timeout_seconds"`
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) error {
	if _, err := params(r); err != nil {
		return err
	}
	a := infoAnswer{Name: s.opts.Name, Words: s.emb.Len(), Dim: s.emb.Dim(), StartWord: s.startWord(),
		Limits: limits{s.opts.MaxK, s.opts.MaxWords, maxComplete, s.opts.MaxBodyBytes, s.opts.Timeout.Seconds()}}
	if m := s.opts.Context; m != nil {
		c := m.Config()
		a.Context = &contextInfo{c.Layers, c.Heads, c.DModel, c.Vocab, c.Context - 1}
	}
	return ok(w, a)
}

// startWord is the word the page shows first: "king" when the vocabulary
// has it (the word of the classic analogy), otherwise a frequent word past
// the function words.
func (s *Server) startWord() string {
	if s.emb.Vocab().Contains("king") {
		return "king"
	}
	return s.emb.Vocab().Word(min(100, s.emb.Len()-1))
}

// GET /api/complete?prefix=P&n=N

func (s *Server) complete(w http.ResponseWriter, r *http.Request) error {
	q, err := params(r, "prefix", "n")
	if err != nil {
		return err
	}
	prefix, err := q.word("prefix")
	if err != nil {
		return err
	}
	n, err := q.integer("n", 10, 1, maxComplete)
	if err != nil {
		return err
	}
	return ok(w, map[string]any{"prefix": prefix, "words": s.comp.complete(prefix, n)})
}

// GET /api/neighbors?word=W&k=K&restrict=R
// GET /api/neighbors?positive=a&positive=b&negative=c&k=K&restrict=R

type neighborsAnswer struct {
	Word      string     `json:"word,omitempty"`
	Positive  []string   `json:"positive,omitempty"`
	Negative  []string   `json:"negative,omitempty"`
	Neighbors []neighbor `json:"neighbors"`
}

func (s *Server) neighbors(w http.ResponseWriter, r *http.Request) error {
	q, err := params(r, "word", "positive", "negative", "k", "restrict")
	if err != nil {
		return err
	}
	word, err := q.str("word")
	if err != nil {
		return err
	}
	pos, neg := q.list("positive"), q.list("negative")
	var a neighborsAnswer
	switch {
	case word != "" && len(pos)+len(neg) > 0:
		return badRequest("give either word or positive/negative words, not both")
	case word != "":
		a.Word, pos = word, []string{word}
	case len(pos)+len(neg) == 0:
		return badRequest("parameter \"word\" (or \"positive\" and \"negative\" words) is required")
	default:
		a.Positive, a.Negative = pos, neg
	}
	k, restrict, err := s.kRestrict(q, 10)
	if err != nil {
		return err
	}
	if err := s.known("query words", append(slices.Clone(pos), neg...)); err != nil {
		return err
	}
	ns, err := s.nearest(r.Context(), pos, neg, k, restrict)
	if err != nil {
		return err
	}
	a.Neighbors = neighborsOf(ns)
	return ok(w, a)
}

// kRestrict reads the k and restrict parameters.
func (s *Server) kRestrict(q query, defK int) (k, restrict int, err error) {
	if k, err = q.integer("k", defK, 1, s.opts.MaxK); err != nil {
		return
	}
	restrict, err = q.integer("restrict", 0, 0, math.MaxInt)
	return
}

// queryOptions returns Options.Query with the request's restriction, if
// it has one, in place of the server's.
func (s *Server) queryOptions(restrict int) embed.QueryOptions {
	opts := s.opts.Query
	if restrict > 0 {
		opts.Restrict = restrict
	}
	return opts
}

// hasQueryOptions reports whether Options.Query holds anything beyond
// the zero value, which only the unbatched search applies.
func (s *Server) hasQueryOptions() bool {
	return s.opts.Query.Restrict != 0 || len(s.opts.Query.Exclude) > 0 || s.opts.Query.Index != nil
}

// GET /api/similarity?a=X&b=Y
// POST /api/similarity {"pairs": [["a", "b"], ...]}

type pairScore struct {
	A      string `json:"a"`
	B      string `json:"b"`
	Cosine score  `json:"cosine"`
}

func (s *Server) similarityGet(w http.ResponseWriter, r *http.Request) error {
	q, err := params(r, "a", "b")
	if err != nil {
		return err
	}
	a, err := q.word("a")
	if err != nil {
		return err
	}
	b, err := q.word("b")
	if err != nil {
		return err
	}
	return s.similarity(w, [][2]string{{a, b}})
}

func (s *Server) similarityPost(w http.ResponseWriter, r *http.Request) error {
	if _, err := params(r); err != nil {
		return err
	}
	var req struct {
		Pairs [][]string `json:"pairs"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	pairs, err := twoWords(req.Pairs)
	if err != nil {
		return err
	}
	if len(pairs) == 0 {
		return badRequest("\"pairs\" must hold at least one pair of words")
	}
	return s.similarity(w, pairs)
}

func (s *Server) similarity(w http.ResponseWriter, pairs [][2]string) error {
	if len(pairs) > s.opts.MaxWords {
		return badRequest("%d pairs: at most %d are allowed", len(pairs), s.opts.MaxWords)
	}
	out := make([]pairScore, len(pairs))
	for i, p := range pairs {
		if p[0] == "" || p[1] == "" {
			return badRequest("pair %d has an empty word", i+1)
		}
		c, err := s.emb.Similarity(p[0], p[1])
		if err != nil {
			return err
		}
		out[i] = pairScore{p[0], p[1], score(c)}
	}
	return ok(w, map[string]any{"pairs": out})
}

// GET /api/analogy?a=man&b=king&c=woman&method=3cosadd&k=K&restrict=R&keep=false

type analogyAnswer struct {
	A       string   `json:"a"`
	B       string   `json:"b"`
	C       string   `json:"c"`
	Method  string   `json:"method"`
	Answers []answer `json:"answers"`
}

type answer struct {
	Word  string `json:"word"`
	Score score  `json:"score"`
}

func (s *Server) analogy(w http.ResponseWriter, r *http.Request) error {
	q, err := params(r, "a", "b", "c", "method", "k", "restrict", "keep")
	if err != nil {
		return err
	}
	var words [3]string
	for i, name := range []string{"a", "b", "c"} {
		if words[i], err = q.word(name); err != nil {
			return err
		}
	}
	opts := analogy.Options{}
	if m, err := q.str("method"); err != nil {
		return err
	} else if m != "" {
		if opts.Method, err = analogy.ParseMethod(m); err != nil {
			return badRequest("method %q: use 3cosadd, 3cosmul or pairdirection", m)
		}
	}
	if opts.K, opts.Restrict, err = s.kRestrict(q, 10); err != nil {
		return err
	}
	if opts.KeepQuestionWords, err = q.boolean("keep"); err != nil {
		return err
	}
	if err := s.known("question words", words[:]); err != nil {
		return err
	}
	if opts.Restrict > 0 {
		for _, w := range words {
			if i, _ := s.emb.Vocab().Index(w); i >= opts.Restrict {
				return &apiError{http.StatusNotFound, fmt.Sprintf("%q is not among the first %d words (restrict)", w, opts.Restrict)}
			}
		}
	}
	a := analogyAnswer{A: words[0], B: words[1], C: words[2], Method: opts.Method.String()}
	err = s.compute(r.Context(), func() error {
		ns, err := analogy.Solve(s.emb, words[0], words[1], words[2], opts)
		for _, n := range ns {
			a.Answers = append(a.Answers, answer{n.Word, score(n.Score)})
		}
		return err
	})
	if errors.Is(err, analogy.ErrZeroVector) {
		return badRequest("%v", err)
	}
	if err != nil {
		return err
	}
	return ok(w, a)
}

// GET /api/map?word=W&k=K&method=tsne  or  ?words=a,b,c
// POST /api/map {"words": [...], "center": W, "k": K, "method": "pca", "perplexity": P}

type mapRequest struct {
	Words      []string `json:"words"`
	Center     string   `json:"center"`
	K          int      `json:"k"`
	Restrict   int      `json:"restrict"`
	Method     string   `json:"method"`
	Perplexity float64  `json:"perplexity"`
}

type mapAnswer struct {
	Method            string     `json:"method"`
	Center            string     `json:"center,omitempty"`
	Points            []mapPoint `json:"points"`
	ExplainedVariance []float64  `json:"explained_variance,omitempty"`
	KL                *float64   `json:"kl_divergence,omitempty"`
	Perplexity        float64    `json:"perplexity,omitempty"`
	Iterations        int        `json:"iterations,omitempty"`
}

type mapPoint struct {
	Word   string  `json:"word"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Cosine *score  `json:"cosine,omitempty"` // with the centre word, when there is one
}

// defaultMapK is the size of a neighbourhood map when k is not given.
const defaultMapK = 50

func (s *Server) mapGet(w http.ResponseWriter, r *http.Request) error {
	q, err := params(r, "word", "words", "k", "restrict", "method", "perplexity")
	if err != nil {
		return err
	}
	var req mapRequest
	if req.Center, err = q.str("word"); err != nil {
		return err
	}
	req.Words = q.list("words")
	if req.K, req.Restrict, err = s.kRestrict(q, defaultMapK); err != nil {
		return err
	}
	if req.Method, err = q.str("method"); err != nil {
		return err
	}
	if req.Perplexity, err = q.number("perplexity", 0, 1, 1000); err != nil {
		return err
	}
	return s.wordMap(w, r.Context(), req)
}

func (s *Server) mapPost(w http.ResponseWriter, r *http.Request) error {
	if _, err := params(r); err != nil {
		return err
	}
	var req mapRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	switch {
	case req.K == 0:
		req.K = defaultMapK
	case req.K < 0 || req.K > s.opts.MaxK:
		return badRequest("k must be between 1 and %d, not %d", s.opts.MaxK, req.K)
	}
	if req.Restrict < 0 {
		return badRequest("restrict must not be negative")
	}
	if req.Perplexity != 0 && !(req.Perplexity >= 1 && req.Perplexity <= 1000) {
		return badRequest("perplexity must be between 1 and 1000, not %g", req.Perplexity)
	}
	return s.wordMap(w, r.Context(), req)
}

func (s *Server) wordMap(w http.ResponseWriter, ctx context.Context, req mapRequest) error {
	method := strings.ToLower(req.Method)
	switch method {
	case "":
		method = "pca"
	case "pca", "tsne":
	case "t-sne":
		method = "tsne"
	default:
		return badRequest("method %q: use pca or tsne", req.Method)
	}
	if req.Center == "" && len(req.Words) == 0 {
		return badRequest("give a centre word (the map shows its neighbourhood) or a set of words")
	}
	words := dedupe(req.Words)
	if err := s.known("words", words); err != nil {
		return err
	}
	if req.Center != "" {
		if _, err := s.index(req.Center); err != nil {
			return err
		}
		if !slices.Contains(words, req.Center) {
			words = append([]string{req.Center}, words...)
		}
	}
	size := len(words)
	if len(req.Words) == 0 {
		size += req.K // the centre's neighbours join it
	}
	if size > s.opts.MaxWords {
		return badRequest("%d words: at most %d are allowed", size, s.opts.MaxWords)
	}
	a := mapAnswer{Method: method, Center: req.Center}
	// Cosines with the centre, taken from the neighbour search when there
	// is one so that the map and the neighbour list agree to the last
	// digit.
	cosines := map[string]float32{req.Center: 1}
	if len(req.Words) == 0 { // the neighbourhood of the centre
		ns, err := s.nearest(ctx, []string{req.Center}, nil, req.K, req.Restrict)
		if err != nil {
			return err
		}
		for _, n := range ns {
			words = append(words, n.Word)
			cosines[n.Word] = n.Score
		}
	}
	err := s.compute(ctx, func() error {
		need := 2
		if method == "tsne" {
			need = 3
		}
		if len(words) < need {
			return badRequest("a %s map needs at least %d words, not %d", method, need, len(words))
		}
		x := make([]float32, 0, len(words)*s.emb.Dim())
		for _, w := range words {
			u, err := s.emb.UnitVector(w)
			if err != nil {
				return err
			}
			x = append(x, u...)
		}
		var coords []float64
		switch method {
		case "pca":
			res, err := project.PCA(x, s.emb.Dim(), project.PCAOptions{})
			if err != nil {
				return err
			}
			coords, a.ExplainedVariance = res.Coords, res.ExplainedVariance
		case "tsne":
			if req.Perplexity >= float64(len(words)) {
				return badRequest("perplexity %g must be below the number of words (%d)", req.Perplexity, len(words))
			}
			res, err := project.TSNE(ctx, x, s.emb.Dim(), project.TSNEOptions{Perplexity: req.Perplexity})
			if err != nil {
				return err
			}
			coords, a.KL, a.Perplexity, a.Iterations = res.Coords, &res.KL, res.Perplexity, res.Iterations
		}
		for i, w := range words {
			p := mapPoint{Word: w, X: coords[2*i], Y: coords[2*i+1]}
			if req.Center != "" {
				c, found := cosines[w]
				if !found {
					var err error
					if c, err = s.emb.Similarity(req.Center, w); err != nil {
						return err
					}
				}
				sc := score(c)
				p.Cosine = &sc
			}
			a.Points = append(a.Points, p)
		}
		return nil
	})
	if errors.Is(err, project.ErrInput) {
		return badRequest("%v", err)
	}
	if err != nil {
		return err
	}
	return ok(w, a)
}

// twoWords checks that each pair of a JSON body has two words.
func twoWords(pairs [][]string) ([][2]string, error) {
	out := make([][2]string, len(pairs))
	for i, p := range pairs {
		if len(p) != 2 {
			return nil, badRequest("pair %d has %d words, not 2", i+1, len(p))
		}
		out[i] = [2]string{p[0], p[1]}
	}
	return out, nil
}

// dedupe returns words without repeats, in first-seen order.
func dedupe(words []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range words {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// GET /api/axis?pairs=she:he,her:his&words=nurse,engineer
// POST /api/axis {"pairs": [["she", "he"]], "words": [...]}

type axisRequest struct {
	Pairs [][]string `json:"pairs"`
	Words []string   `json:"words"`
}

type axisAnswer struct {
	// Pairs are the pairs the direction was computed from; the first word
	// of each lies on the positive side.
	Pairs        [][2]string  `json:"pairs"`
	MissingPairs [][2]string  `json:"missing_pairs"`
	Explained    float64      `json:"explained_variance"`
	Words        []axisWord   `json:"words"`
	DirectBias   *directBias  `json:"direct_bias"`
	WEAT         []weatFigure `json:"weat"`
}

type axisWord struct {
	Word       string  `json:"word"`
	Projection float64 `json:"projection"`
	// Kind is "pair" for a word of the direction's pairs, "profession"
	// for one of Bolukbasi et al.'s professions, "word" otherwise.
	Kind string `json:"kind"`
	// Stereotype is the profession's crowd-judged gender stereotype
	// score from Bolukbasi et al., −1 (female) to +1 (male).
	Stereotype *float64 `json:"stereotype,omitempty"`
}

type directBias struct {
	Value float64 `json:"value"`
	C     float64 `json:"c"`
	Words int     `json:"words"`
	// Gendered are the words left out as gender-specific by definition.
	Gendered []string `json:"gendered"`
}

type weatFigure struct {
	ID         int      `json:"id"`
	Name       string   `json:"name"`
	XName      string   `json:"x_name"`
	YName      string   `json:"y_name"`
	AName      string   `json:"a_name"`
	BName      string   `json:"b_name"`
	EffectSize *float64 `json:"effect_size,omitempty"`
	PValue     *float64 `json:"p_value,omitempty"`
	Error      string   `json:"error,omitempty"`
}

func (s *Server) axisGet(w http.ResponseWriter, r *http.Request) error {
	q, err := params(r, "pairs", "words")
	if err != nil {
		return err
	}
	var req axisRequest
	for _, p := range q.list("pairs") {
		a, b, found := strings.Cut(p, ":")
		if !found || a == "" || b == "" || strings.Contains(b, ":") {
			return badRequest("pair %q: write pairs as first:second, e.g. she:he", p)
		}
		req.Pairs = append(req.Pairs, []string{a, b})
	}
	req.Words = q.list("words")
	return s.axis(w, r.Context(), req)
}

func (s *Server) axisPost(w http.ResponseWriter, r *http.Request) error {
	if _, err := params(r); err != nil {
		return err
	}
	var req axisRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	return s.axis(w, r.Context(), req)
}

func (s *Server) axis(w http.ResponseWriter, ctx context.Context, req axisRequest) error {
	if len(req.Pairs) > s.opts.MaxWords {
		return badRequest("%d pairs: at most %d are allowed", len(req.Pairs), s.opts.MaxWords)
	}
	pairs, err := twoWords(req.Pairs)
	if err != nil {
		return err
	}
	lookup := bias.Lookup{ExactCase: true}
	if len(pairs) == 0 {
		pairs, lookup = bias.DefinitionalPairs(), bias.Lookup{}
	} else {
		for i, p := range pairs {
			if p[0] == "" || p[1] == "" {
				return badRequest("pair %d has an empty word", i+1)
			}
			if p[0] == p[1] {
				return badRequest("pair %d joins %q to itself", i+1, p[0])
			}
			if err := s.known("pair words", p[:]); err != nil {
				return err
			}
		}
	}
	words := dedupe(req.Words)
	if err := s.known("words", words); err != nil {
		return err
	}
	a := axisAnswer{MissingPairs: [][2]string{}}
	err = s.compute(ctx, func() error {
		d, err := bias.NewDirection(s.emb, pairs, lookup)
		if err != nil {
			if errors.Is(err, bias.ErrTooFewWords) {
				return &apiError{http.StatusNotFound, "too few of the direction's pairs are in the vocabulary: " + err.Error()}
			}
			if errors.Is(err, bias.ErrUndefined) {
				return badRequest("%v", err)
			}
			return err
		}
		a.Pairs, a.Explained = d.Pairs, d.ExplainedVariance[0]
		used := map[string]bool{}
		for _, p := range d.Pairs {
			used[p[0]], used[p[1]] = true, true
		}
		for _, p := range pairs {
			if !used[p[0]] && !used[p[1]] && !used[strings.ToLower(p[0])] {
				a.MissingPairs = append(a.MissingPairs, p)
			}
		}
		measured := words
		if len(measured) == 0 {
			measured = s.professionWords[:min(len(s.professionWords), s.opts.MaxWords)]
		}
		shown := slices.Clone(measured)
		for _, p := range d.Pairs {
			for _, w := range p {
				if !slices.Contains(shown, w) {
					shown = append(shown, w)
				}
			}
		}
		if len(shown) > 0 {
			ws, _, err := d.Projections(shown)
			if err != nil {
				return err
			}
			for _, ws := range ws {
				aw := axisWord{Word: ws.Word, Projection: ws.Score, Kind: "word"}
				if p, ok := s.professions[ws.Word]; ok {
					aw.Kind = "profession"
					st := p.Stereotypical
					aw.Stereotype = &st
				}
				if used[ws.Word] {
					aw.Kind = "pair"
				}
				a.Words = append(a.Words, aw)
			}
		}
		neutral, gendered := bias.WithoutGendered(s.emb, measured, bias.GenderSpecific(), bias.Lookup{})
		if len(neutral) >= 2 {
			db, err := d.DirectBias(neutral, 1)
			if err == nil {
				a.DirectBias = &directBias{Value: db.Value, C: db.C, Words: db.Words, Gendered: gendered}
				if a.DirectBias.Gendered == nil {
					a.DirectBias.Gendered = []string{}
				}
			}
		}
		a.WEAT = s.genderWEAT(ctx)
		return nil
	})
	if err != nil {
		return err
	}
	return ok(w, a)
}

// genderWEAT runs Caliskan et al.'s gender tests (WEAT 6, 7 and 8) once
// and keeps the figures: they depend on the vectors only.
func (s *Server) genderWEAT(ctx context.Context) []weatFigure {
	s.weatOnce.Do(func() {
		for _, id := range []int{6, 7, 8} {
			t, err := bias.WEATTestByID(id)
			if err != nil {
				continue
			}
			f := weatFigure{ID: t.ID, Name: t.Name, XName: t.XName, YName: t.YName, AName: t.AName, BName: t.BName}
			res, err := bias.WEAT(context.WithoutCancel(ctx), s.emb, t, bias.WEATOptions{})
			if err != nil {
				f.Error = err.Error()
			} else {
				f.EffectSize, f.PValue = &res.EffectSize, &res.PValue
			}
			s.weat = append(s.weat, f)
		}
	})
	return s.weat
}

// GET /api/context?text=the+river+bank&k=5

type contextAnswer struct {
	Tokens  []string       `json:"tokens"`
	Unknown []string       `json:"unknown"`
	Layers  []contextLayer `json:"layers"`
	// Attention[l][h][p][q] is how much position p attends to position q
	// in head h of block l; position 0 is <bos>.
	Attention [][][][]score `json:"attention"`
}

type contextLayer struct {
	Layer int    `json:"layer"`
	Name  string `json:"name"`
	// Neighbors[i] are word i's nearest tokens to its hidden state.
	Neighbors [][]neighbor `json:"neighbors"`
}

func (s *Server) context(w http.ResponseWriter, r *http.Request) error {
	q, err := params(r, "text", "k")
	if err != nil {
		return err
	}
	m := s.opts.Context
	if m == nil {
		return &apiError{http.StatusNotFound, "no transformer loaded: start the server with -context (Options.Context)"}
	}
	text, err := q.str("text")
	if err != nil {
		return err
	}
	words := strings.Fields(text)
	most := m.Config().Context - 1
	switch {
	case len(words) == 0:
		return badRequest("parameter \"text\" (a sentence) is required")
	case len(words) > most:
		return badRequest("text has %d words: the model reads at most %d", len(words), most)
	}
	k, err := q.integer("k", 5, 1, min(s.opts.MaxK, 20))
	if err != nil {
		return err
	}
	var a contextAnswer
	err = s.compute(r.Context(), func() error {
		rep, err := m.Contextualize(words, transformer.ContextOptions{Attention: true})
		if err != nil {
			return err
		}
		a.Tokens, a.Unknown = rep.Tokens, []string{}
		for i, w := range words {
			if rep.Tokens[i+1] == transformer.Unk {
				a.Unknown = append(a.Unknown, w)
			}
		}
		for l := range rep.Layers {
			q := make([]float32, 0, len(words)*s.table.Dim())
			for i := range words {
				q = append(q, rep.Hidden(l, i)...)
			}
			nn, err := s.table.Nearest(q, k, embed.QueryOptions{})
			if err != nil {
				return err
			}
			cl := contextLayer{Layer: l, Name: layerName(l, len(rep.Layers))}
			for _, ns := range nn {
				cl.Neighbors = append(cl.Neighbors, neighborsOf(ns))
			}
			a.Layers = append(a.Layers, cl)
		}
		a.Attention = make([][][][]score, len(rep.Attention))
		for l, heads := range rep.Attention {
			a.Attention[l] = make([][][]score, len(heads))
			for h, rows := range heads {
				a.Attention[l][h] = make([][]score, len(rows))
				for p, row := range rows {
					out := make([]score, len(row))
					for q, v := range row {
						out[q] = score(v)
					}
					a.Attention[l][h][p] = out
				}
			}
		}
		return nil
	})
	if errors.Is(err, transformer.ErrContextTooLong) || errors.Is(err, transformer.ErrEmptyText) {
		return badRequest("%v", err)
	}
	if err != nil {
		return err
	}
	return ok(w, a)
}

func layerName(l, n int) string {
	switch l {
	case 0:
		return "input (token + position)"
	case n - 1:
		return "final layer norm (predicts the next word)"
	}
	return fmt.Sprintf("after block %d", l)
}
