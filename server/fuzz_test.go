package server

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"
)

// FuzzRequest sends arbitrary query strings and bodies to every endpoint:
// the answer is always a JSON object, either a result (200) or {"error":
// …} with a 4xx status (503 only for a missed deadline), never a 500 or a
// crash.
func FuzzRequest(f *testing.F) {
	e := testVectors(f)
	s, err := New(e, Options{MaxWords: 40, Timeout: 2 * time.Second, Context: tinyModel(f, e.Vocab().Words()[:50])})
	if err != nil {
		f.Fatal(err)
	}
	paths := slices.Sorted(maps.Keys(s.routes))
	f.Add(uint8(0), false, "word=king&k=3", []byte(nil))
	f.Add(uint8(1), true, "", []byte(`{"pairs": [["king", "queen"]]}`))
	f.Add(uint8(2), false, "a=man&b=king&c=woman&method=3cosmul&keep=1", []byte(nil))
	f.Add(uint8(3), true, "", []byte(`{"words": ["king", "queen", "man"], "method": "tsne", "perplexity": 1.5}`))
	f.Add(uint8(4), false, "pairs=she:he&words=nurse,architect", []byte(nil))
	f.Add(uint8(5), false, "prefix=%C3%A9&n=50", []byte(nil))
	f.Add(uint8(6), false, "text=the+king+zebra&k=2", []byte(nil))
	f.Add(uint8(3), true, "", []byte(`{"center": "king", "k": 1e9}`))
	f.Fuzz(func(t *testing.T, which uint8, post bool, rawQuery string, body []byte) {
		if len(body) > 1<<16 || len(rawQuery) > 1<<12 {
			return
		}
		method := "GET"
		if post {
			method = "POST"
		}
		u := &url.URL{Path: paths[int(which)%len(paths)], RawQuery: rawQuery}
		req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
		if err != nil {
			return
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		var v map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil && u.Path != "/api/openapi.json" {
			t.Fatalf("%s %s: answer %d is not a JSON object: %q", method, u, rec.Code, rec.Body.Bytes())
		}
		switch c := rec.Code; {
		case c == 200:
		case c >= 400 && c < 500, c == 503:
			if msg, ok := v["error"].(string); !ok || msg == "" || len(v) != 1 {
				t.Fatalf("%s %s: %d without an error message: %s", method, u, c, rec.Body.Bytes())
			}
		default:
			t.Fatalf("%s %s: status %d: %s", method, u, c, rec.Body.Bytes())
		}
	})
}
