package transformer

import (
	"bytes"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
)

// The variants of the interchange format (sinusoidal positions, tanh
// GELU, another LayerNorm epsilon) survive the .npz and checkpoint round
// trips and change what the model computes.
func TestVariantsRoundTrip(t *testing.T) {
	base := Config{DModel: 8, Heads: 2, Layers: 1, DFF: 8, Context: 5, Seed: 1}
	variant := base
	variant.SinusoidalPositions, variant.TanhGELU, variant.LayerNormEps = true, true, 1e-3
	m, err := New(variant, testWords(6))
	if err != nil {
		t.Fatal(err)
	}
	if m.Param("pos_emb") != nil {
		t.Error("a model with sinusoidal positions has a pos_emb parameter")
	}
	wellConditioned(m, 2)
	dir := t.TempDir()
	for _, path := range []string{filepath.Join(dir, "w.npz"), filepath.Join(dir, "w.model")} {
		var back *Model
		if strings.HasSuffix(path, ".npz") {
			if err := m.SaveNPZ(path); err != nil {
				t.Fatal(err)
			}
			back, err = LoadNPZ(path)
		} else {
			if err := m.Save(path); err != nil {
				t.Fatal(err)
			}
			back, err = Load(path)
		}
		if err != nil {
			t.Fatal(err)
		}
		c := back.Config()
		if !c.SinusoidalPositions || !c.TanhGELU || c.LayerNormEps != 1e-3 || c.Context != 5 || !sameWeights(m, back) {
			t.Errorf("%s read back as %+v", filepath.Base(path), c)
		}
	}
	words := []string{"w1", "w2", "w3"}
	a, err := m.Contextualize(words, ContextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The same weights with each setting back at its default give other
	// hidden states: every variant is in use.
	for name, change := range map[string]func(*Config){
		"positions": func(c *Config) { c.SinusoidalPositions = false },
		"gelu":      func(c *Config) { c.TanhGELU = false },
		"eps":       func(c *Config) { c.LayerNormEps = 0 },
	} {
		c := variant
		change(&c)
		o, err := New(c, testWords(6))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m.params {
			copy(o.Param(p.Name).Data, p.Data)
		}
		o.changed()
		b, err := o.Contextualize(words, ContextOptions{})
		if err != nil {
			t.Fatal(err)
		}
		diff := 0.0
		for l := range a.Layers {
			for i := range a.Layers[l] {
				for j, v := range a.Layers[l][i] {
					diff = math.Max(diff, math.Abs(float64(v-b.Layers[l][i][j])))
				}
			}
		}
		if diff == 0 {
			t.Errorf("%s: the hidden states do not depend on the setting", name)
		}
	}
}

// Variant settings that make no sense are format errors.
func TestVariantsBadNPZ(t *testing.T) {
	m, err := New(Config{DModel: 4, Heads: 2, Layers: 1, DFF: 4, Context: 3, SinusoidalPositions: true}, testWords(3))
	if err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	if err := m.WriteNPZ(&good); err != nil {
		t.Fatal(err)
	}
	// rewrite copies the archive with the config entries replaced.
	rewrite := func(set map[string]any) []byte {
		back, err := ReadNPZ(bytes.NewReader(good.Bytes()), int64(good.Len()))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := npz.NewWriter(&buf)
		for k, v := range set {
			if v != nil {
				zw.Write(k+".npy", v)
			}
		}
		for k, v := range map[string]any{"config.heads": int64(2), "config.pos_learned": int64(0), "config.ctx": int64(3),
			"config.gelu_tanh": int64(0), "config.ln_eps": 1e-5} {
			if _, ok := set[k]; !ok {
				zw.Write(k+".npy", v)
			}
		}
		for _, p := range back.params {
			v := any(p.Data)
			if len(p.Shape) == 2 {
				v = rows(p.Data, p.Shape[0], p.Shape[1])
			}
			zw.Write(p.Name+".npy", v)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if _, err := ReadNPZ(bytes.NewReader(rewrite(nil)), int64(len(rewrite(nil)))); err != nil {
		t.Fatalf("the rewritten archive itself: %v", err)
	}
	for _, c := range []struct {
		set  map[string]any
		want string
	}{
		{map[string]any{"config.pos_learned": int64(2)}, "want 0 or 1"},
		{map[string]any{"config.gelu_tanh": int64(-1)}, "want 0 or 1"},
		{map[string]any{"config.ln_eps": -1.0}, "out of range"},
		{map[string]any{"config.ln_eps": math.NaN()}, "out of range"},
		{map[string]any{"config.ln_eps": int64(1)}, "want a float"},
		{map[string]any{"config.ctx": nil}, "sinusoidal positions need it"},
		{map[string]any{"config.ctx": int64(1 << 40)}, "out of range"},
	} {
		b := rewrite(c.set)
		_, err := ReadNPZ(bytes.NewReader(b), int64(len(b)))
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want a format error mentioning %q", c.set, err, c.want)
		}
	}
}
