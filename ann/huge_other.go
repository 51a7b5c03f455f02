//go:build !linux

package ann

func hugePages[E any](s []E) {}
