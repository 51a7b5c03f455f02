package server_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/server"
)

// A Go program mounts the explorer and its API under a path of its own.
func ExampleNew() {
	vocab, _ := embed.NewVocab([]string{"king", "queen", "man", "woman"}, nil)
	e, _ := embed.New(vocab, 3, []float32{
		1, 1, 0, // king
		1, -1, 0, // queen
		0, 1, 1, // man
		0, -1, 1, // woman
	})
	s, err := server.New(e, server.Options{Name: "four words"})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/words/", http.StripPrefix("/words", s)) // the page at /words/, the API at /words/api/
	ts := httptest.NewServer(mux)
	defer ts.Close()

	for _, q := range []string{"api/neighbors?word=king&k=2", "api/analogy?a=man&b=king&c=woman&k=1", "api/neighbors?word=prince"} {
		resp, err := http.Get(ts.URL + "/words/" + q)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Print(resp.StatusCode, " ", string(body))
	}
	// Output:
	// 200 {"word":"king","neighbors":[{"word":"man","cosine":0.49999997},{"word":"queen","cosine":0}]}
	// 200 {"a":"man","b":"king","c":"woman","method":"3CosAdd","answers":[{"word":"queen","score":1}]}
	// 404 {"error":"unknown word: \"prince\" is not in the vocabulary"}
}
