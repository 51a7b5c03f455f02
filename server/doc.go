// Package server puts word vectors behind a small JSON API and a web page
// for exploring them: neighbours, similarities, analogies, 2-D maps of word
// sets (PCA and t-SNE), projections on a direction such as he–she with the
// bias figures of package bias, and, with a transformer, each layer's
// nearest words and every head's attention for a sentence.
//
// A Server is an http.Handler, so a Go program can mount it under its own
// mux; Serve runs it on a listener with sensible timeouts and shuts down
// gracefully. The command "wordspace serve" does that for a vectors file.
//
// The server loads nothing after New: it is read-only, holds one copy of
// the vectors, answers requests concurrently, and no request can name a
// file. Every answer is JSON; every error is a JSON object {"error": "…"}
// with status 400 for a malformed request, 404 for a word the vocabulary
// lacks (naming it), 413 for a body over the limit and 503 when a request
// times out. The API is described by an OpenAPI 3 document served at
// /api/openapi.json.
//
// Limits keep one request from starving the others: k and the sizes of
// word sets are capped (Options), bodies are bounded, each request has a
// deadline, and at most Options.MaxInFlight computations run at once —
// the rest wait their turn until their deadline. A panic in a handler is
// turned into a 500 answer and logged; the server keeps running.
//
// An exact neighbour search reads the whole matrix, so neighbour queries
// that wait together are answered together by one matrix product
// (embed.Nearest) and then rescored exactly as embed.MostSimilar scores
// them: under load a query costs a fraction of a scan, and the same query
// gets the same answer, to the last bit, whatever else is running.
package server
