//go:build linux

package ann

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePages asks the kernel to back the memory of s with 2 MiB pages.
// A search touches vectors all over a large matrix, and with 4 KiB pages
// nearly every one costs a walk of the page tables besides the memory
// access itself; 2 MiB pages cover a gigabyte with entries the processor
// keeps. It is a hint: without transparent huge pages it changes nothing.
func hugePages[E any](s []E) {
	if len(s) == 0 {
		return
	}
	var e E
	const page = 2 << 20
	p := unsafe.Pointer(unsafe.SliceData(s))
	start := uintptr(p)
	end := start + uintptr(len(s))*unsafe.Sizeof(e)
	skip := (page - start%page) % page // to the first whole huge page inside s
	n := (end - start - skip) &^ (page - 1)
	if end-start <= skip || n == 0 {
		return
	}
	unix.Madvise(unsafe.Slice((*byte)(unsafe.Add(p, skip)), n), unix.MADV_HUGEPAGE)
}
