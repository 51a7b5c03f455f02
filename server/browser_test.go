package server

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/demo"
	"github.com/wordspace/wordspace/internal/testenv"
	"github.com/wordspace/wordspace/transformer"
)

// TestBrowser loads the page in a real (headless) Chromium against a server
// on the demo vectors, uses it as a person would — opens a word's address,
// types another word, picks it from the completion list with the keyboard, switches the map to t-SNE,
// recentres by clicking a point and by keyboard, solves man:king::woman:?,
// opens the bias axis and the attention view — checks that what the page
// shows agrees with the library, that no map label covers another or a
// point, and that no script error occurs, and writes a screenshot of each
// view (into $WORDSPACE_SCREENSHOTS when set).
func TestBrowser(t *testing.T) {
	// Debian's browser; chromedp finds no other by itself here.
	path := testenv.Command(t, "chromium", "chromium")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	e, err := demo.Vectors(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// An untrained transformer over the demo vocabulary: its attention is
	// not meaningful, but every view and shape is.
	cfg := transformer.Tiny()
	cfg.Vocab = 3000
	m, err := transformer.FromEmbeddings(cfg, e)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(e, Options{Name: "demo vectors", Context: m})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	shots := os.Getenv("WORDSPACE_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}

	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("lang", "en-GB"),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 900))
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()

	// Collect script errors and exceptions for the whole session.
	var mu sync.Mutex
	var jsErrors []string
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		t.Fatalf("starting %s: %v", path, err)
	}
	go func() {
		for msg, err := range chromedp.Console(bctx) {
			if err != nil {
				return
			}
			if msg.Type == chromedp.ConsoleException || msg.Type == chromedp.ConsoleError {
				mu.Lock()
				jsErrors = append(jsErrors, msg.String())
				mu.Unlock()
			}
		}
	}()

	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	clear := func(id string) {
		t.Helper()
		eval(`document.getElementById(` + jsString(id) + `).value = ""`)
	}
	wait := func(what, cond string) {
		t.Helper()
		wctx, cancel := context.WithTimeout(bctx, 60*time.Second)
		defer cancel()
		if _, err := chromedp.Run(wctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
			t.Fatalf("waiting for %s (%s): %v", what, cond, err)
		}
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		p := filepath.Join(shots, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s", p)
	}
	words := func(sel string) []string {
		t.Helper()
		list := eval(`[...document.querySelectorAll(` + jsString(sel) + `)].map(e => e.dataset.word).join("\n")`)
		if list == "" {
			return nil
		}
		return strings.Split(list, "\n")
	}
	// checkMap checks that the map shows centre and the k nearest words,
	// and that no label covers another label or a point.
	checkMap := func(centre string, k int) {
		t.Helper()
		want := []string{centre}
		for _, n := range mustNeighbors(t, e, centre, k) {
			want = append(want, n.Word)
		}
		got := words("#map g.pt")
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("map of %s shows %q, want %q", centre, got, want)
		}
		if c := eval(`document.querySelector("#map g.pt.center").dataset.word`); c != centre {
			t.Errorf("map centre %q, want %q", c, centre)
		}
		stats := eval(labelCheck)
		var labels, overlaps int
		fmt.Sscanf(stats, "%d %d", &labels, &overlaps)
		if overlaps != 0 || labels < (k+1)/2 {
			t.Errorf("map of %s: %d labels shown of %d points, %d overlaps (label/label or label/point)", centre, labels, k+1, overlaps)
		}
		t.Logf("map of %s: %d of %d labels shown, no overlaps", centre, labels, k+1)
	}

	// The page opens on the word its address names.
	run("load", chromedp.Navigate(ts.URL+"/#word=water"))
	wait("the first map", `document.body.dataset.ready === "true" && document.querySelector("#map g.pt.center")?.dataset.word === "water"`)

	// Type a word, pick it from the completion list with the keyboard.
	clear("search")
	run("type", chromedp.Click(chromedp.ID("search")), chromedp.SendKeys(chromedp.ID("search"), "kin"))
	wait("suggestions", `!document.getElementById("suggestions").hidden && [...document.querySelectorAll("#suggestions li")].some(li => li.textContent === "king")`)
	sugg := strings.Split(eval(`[...document.querySelectorAll("#suggestions li")].map(li => li.textContent).join(" ")`), " ")
	for _, w := range sugg {
		if !strings.HasPrefix(w, "kin") {
			t.Errorf("suggestion %q does not start with kin", w)
		}
	}
	for range slices.Index(sugg, "king") + 1 {
		run("arrow down", chromedp.SendKeys(chromedp.ID("search"), kb.ArrowDown))
	}
	run("enter", chromedp.SendKeys(chromedp.ID("search"), kb.Enter))
	wait("king's neighbours and map", `document.getElementById("nn-title").textContent.endsWith(" king") &&
		document.querySelectorAll("#neighbors li").length === 20 &&
		document.querySelector("#map g.pt.center")?.dataset.word === "king" && document.getElementById("map-busy").hidden`)
	if h := eval(`location.hash`); h != "#word=king" {
		t.Errorf("address %q, want #word=king", h)
	}
	want := mustNeighbors(t, e, "king", 20)
	got := words("#neighbors li")
	for i, n := range want {
		if i >= len(got) || got[i] != n.Word {
			t.Fatalf("neighbour list %q, want the library's %v", got, want)
		}
	}
	if c := eval(`document.querySelector("#neighbors li .num").textContent`); c != fmt.Sprintf("%.3f", want[0].Score) {
		t.Errorf("first cosine shown %s, want %.3f", c, want[0].Score)
	}
	checkMap("king", 40)
	shot("explore-pca.png")

	// t-SNE on the same words.
	run("t-SNE", chromedp.Click(chromedp.ID("m-tsne")))
	wait("the t-SNE map", `document.getElementById("map-stats").textContent.startsWith("t-SNE") && document.getElementById("map-busy").hidden`)
	checkMap("king", 40)
	shot("explore-tsne.png")

	// Click a point to recentre; then recentre from the keyboard.
	target := want[2].Word
	run("click a point", chromedp.Click(chromedp.CSS(`#map g.pt[data-word="`+target+`"] circle`)))
	wait("recentred by click", `document.querySelector("#map g.pt.center")?.dataset.word === `+jsString(target)+` && document.getElementById("map-busy").hidden`)
	checkMap(target, 40)
	next := mustNeighbors(t, e, target, 1)[0].Word
	run("focus a point", chromedp.Focus(chromedp.CSS(`#map g.pt[data-word="`+next+`"]`)),
		chromedp.KeyEvent(kb.Enter))
	wait("recentred by keyboard", `document.querySelector("#map g.pt.center")?.dataset.word === `+jsString(next)+` && document.getElementById("map-busy").hidden`)

	// An unknown word: the error is shown, nothing breaks.
	clear("search")
	run("unknown word", chromedp.SendKeys(chromedp.ID("search"), "qwertyuiopzz"+kb.Enter))
	wait("error message", `document.getElementById("message").textContent.includes("unknown word")`)

	// An expression in the search box: king - man + woman.
	clear("search")
	run("expression", chromedp.SendKeys(chromedp.ID("search"), "king - man + woman"+kb.Enter))
	wait("the expression's neighbours and map", `document.getElementById("nn-title").textContent === "Nearest words to king + woman − man" &&
		document.querySelectorAll("#map g.pt.center").length === 3 && document.getElementById("map-busy").hidden`)
	exprWant, _ := e.MostSimilar([]string{"king", "woman"}, []string{"man"}, 20, embed.QueryOptions{})
	if got := words("#neighbors li"); len(got) == 0 || got[0] != exprWant[0].Word {
		t.Errorf("king - man + woman: list %q, want %s first", got, exprWant[0].Word)
	}

	// Analogy: man is to king as woman is to ?
	run("analogy tab", chromedp.Click(chromedp.ID("tab-analogy")))
	for id, w := range map[string]string{"an-a": "man", "an-b": "king", "an-c": "woman"} {
		clear(id)
		run("fill "+id, chromedp.SendKeys(chromedp.ID(id), w))
	}
	run("solve", chromedp.Click(chromedp.CSS(`#analogy-form button[type="submit"]`)))
	wait("analogy answers and map", `document.querySelectorAll("#an-results li").length === 10 && document.querySelectorAll("#an-map g.pt").length >= 4`)
	best := words("#an-results li")[0]
	t.Logf("man : king :: woman : %s", best)
	if best != "queen" {
		t.Errorf("analogy answer %q, want queen", best)
	}
	shot("analogy.png")

	// The bias axis: professions along she–he.
	run("axis tab", chromedp.Click(chromedp.ID("tab-axis")))
	wait("the axis", `document.querySelectorAll("#axis g.pt").length > 20 && document.querySelectorAll("#weat tr").length === 4`)
	onAxis := words("#axis g.pt")
	for _, w := range []string{"she", "he", "nurse", "soldier"} {
		if !slices.Contains(onAxis, w) {
			t.Errorf("%q missing from the bias axis", w)
		}
	}
	if n := eval(axisLabelCheck); n != "0" {
		t.Errorf("bias axis: %s overlapping labels", n)
	}
	shot("axis.png")

	// Attention: every block and head for a sentence.
	run("attention tab", chromedp.Click(chromedp.ID("tab-attention")))
	heads := cfg.Layers * cfg.Heads
	wait("attention maps", fmt.Sprintf(`document.querySelectorAll("#att-grid .att-cell").length === %d && document.querySelectorAll("#ctx-layers tbody tr").length === %d`, heads, cfg.Layers+2))
	run("enlarge a head", chromedp.Click(chromedp.CSS(`#att-grid .att-cell[data-layer="1"][data-head="2"]`)))
	wait("enlarged head", `document.getElementById("att-caption").textContent.startsWith("block 2, head 3")`)
	shot("attention.png")

	mu.Lock()
	defer mu.Unlock()
	for _, msg := range jsErrors {
		// The unknown word's 404 is logged by the browser as a failed
		// fetch; anything else is a defect.
		if strings.Contains(msg, "404") {
			continue
		}
		t.Errorf("browser console: %s", msg)
	}
}

func mustNeighbors(t *testing.T, e *embed.Embeddings, w string, k int) []embed.Neighbor {
	t.Helper()
	ns, err := e.MostSimilar([]string{w}, nil, k, embed.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string { return fmt.Sprintf("%q", s) }

// labelCheck returns "labels overlaps": the number of map labels shown and
// the number of label pairs that intersect plus labels that cover a point
// other than their own.
const labelCheck = `(() => {
  const pts = [...document.querySelectorAll("#map g.pt")];
  const boxes = [], dots = [];
  const inter = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  pts.forEach((g, i) => {
    const t = g.querySelector("text"), c = g.querySelector("circle");
    if (t) boxes.push([i, t.getBBox()]);
    dots.push(c.getBBox());
  });
  let bad = 0;
  for (let a = 0; a < boxes.length; a++) {
    for (let b = a + 1; b < boxes.length; b++) if (inter(boxes[a][1], boxes[b][1])) bad++;
    dots.forEach((d, j) => { if (j !== boxes[a][0] && inter(boxes[a][1], d)) bad++; });
  }
  return boxes.length + " " + bad;
})()`

// axisLabelCheck returns the number of intersecting label pairs on the
// bias axis.
const axisLabelCheck = `(() => {
  const b = [...document.querySelectorAll("#axis g.pt text")].map(t => t.getBBox());
  const inter = (a, c) => a.x < c.x + c.width && c.x < a.x + a.width && a.y < c.y + c.height && c.y < a.y + a.height;
  let bad = 0;
  for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++) if (inter(b[i], b[j])) bad++;
  return String(bad);
})()`
