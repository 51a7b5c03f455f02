module github.com/wordspace/wordspace

go 1.26

require (
	codeberg.org/sbinet/npyio v0.14.0
	github.com/kljensen/snowball v0.10.0
	gonum.org/v1/gonum v0.17.0
)

require (
	github.com/james-bowman/sparse v0.0.0-20260216202247-495ee4f84d35 // indirect
	github.com/nlpodyssey/gopickle v0.3.0 // indirect
	golang.org/x/text v0.34.0 // indirect
)
