package meetingstest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
)

// Generated content is a fixed pseudo-random 64 KiB pattern repeated, with the
// first 8 bytes of every 512-byte block replaced by the block's offset
// (big-endian). Every block is thus unique: a download that resumes at a
// wrong offset, or drops or repeats a block, gets a different SHA-256.
const (
	patternSize = 64 << 10
	stampEvery  = 512
)

var pattern = sync.OnceValue(func() []byte {
	p := make([]byte, patternSize)
	x := uint64(0x9E3779B97F4A7C15) // xorshift64*, fixed seed: the content never changes
	for i := 0; i < patternSize; i += 8 {
		x ^= x >> 12
		x ^= x << 25
		x ^= x >> 27
		binary.LittleEndian.PutUint64(p[i:], x*0x2545F4914F6CDD1D)
	}
	return p
})

// generator is the endless generated content as an io.ReaderAt.
type generator struct{}

func (generator) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("meetingstest: generated content: negative offset %d", off)
	}
	fillGenerated(p, off)
	return len(p), nil
}

func fillGenerated(p []byte, off int64) {
	pat := pattern()
	start, n := off, int64(len(p))
	for i := int64(0); i < n; {
		po := (off + i) % patternSize
		i += int64(copy(p[i:], pat[po:]))
	}
	// Stamp every block whose first 8 bytes overlap p.
	first := start / stampEvery * stampEvery
	var stamp [8]byte
	for b := first; b < start+n; b += stampEvery {
		binary.BigEndian.PutUint64(stamp[:], uint64(b))
		for k := int64(0); k < 8; k++ {
			if at := b + k - start; at >= 0 && at < n {
				p[at] = stamp[k]
			}
		}
	}
}

func generated(size int64) *io.SectionReader {
	return io.NewSectionReader(generator{}, 0, size)
}

// GeneratedContent returns the content of a generated file of size bytes, the
// same bytes the storage host serves for a file set with SetGeneratedFile. It
// holds no memory proportional to size. The content is deterministic: the same
// size always gives the same bytes, and a shorter file is a prefix of a longer one.
func GeneratedContent(size int64) (*io.SectionReader, error) {
	if size < 0 {
		return nil, fmt.Errorf("meetingstest: GeneratedContent: size %d is negative", size)
	}
	return generated(size), nil
}

// GeneratedSHA256 returns the hex SHA-256 of GeneratedContent(size), computed
// by streaming the content, never holding it.
func GeneratedSHA256(size int64) (string, error) {
	if size < 0 {
		return "", fmt.Errorf("meetingstest: GeneratedSHA256: size %d is negative", size)
	}
	h := sha256.New()
	buf := make([]byte, 256<<10)
	if _, err := io.CopyBuffer(h, generated(size), buf); err != nil {
		return "", fmt.Errorf("meetingstest: GeneratedSHA256: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
