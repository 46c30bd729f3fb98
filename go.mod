module github.com/redcrdt/redcrdt

go 1.26

require (
	github.com/google/btree v1.1.3
	github.com/leanovate/gopter v0.2.11
)
