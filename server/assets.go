package server

import (
	"embed"
	"io/fs"
	"net/http"
)

// The page and the API description are compiled into the binary, so the
// server needs no files and the page works offline.
//
//go:embed web
var webFiles embed.FS

//go:embed openapi.json
var openapiJSON []byte

var webRoot, _ = fs.Sub(webFiles, "web")

var fileServer = http.FileServerFS(webRoot)

// page serves the explorer: index.html at / and its scripts and styles.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	fileServer.ServeHTTP(w, r)
}

// GET /api/openapi.json
func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	if _, err := params(r); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openapiJSON)
	return nil
}
