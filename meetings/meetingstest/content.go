package meetingstest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
)

// Generated content is a fixed pseudo-random 64 KiB pattern, repeated, with
// the first 8 bytes of every 512-byte block replaced by the block's offset
// (big-endian). Every block is unique, so a download that resumes at a wrong
// offset, or drops or repeats a block, has another SHA-256. It never changes
// between versions: checksums can be pinned.
const (
	patternSize = 64 << 10
	stampEvery  = 512
)

var pattern = sync.OnceValue(func() []byte {
	p := make([]byte, patternSize)
	x := uint64(0x9E3779B97F4A7C15) // xorshift64*, fixed seed
	for i := 0; i < patternSize; i += 8 {
		x ^= x >> 12
		x ^= x << 25
		x ^= x >> 27
		binary.LittleEndian.PutUint64(p[i:], x*0x2545F4914F6CDD1D)
	}
	return p
})

// generator is the endless generated content.
type generator struct{}

func (generator) ReadAt(p []byte, off int64) (int, error) {
	pat, n := pattern(), int64(len(p))
	for i := int64(0); i < n; {
		i += int64(copy(p[i:], pat[(off+i)%patternSize:]))
	}
	var stamp [8]byte
	for b := off / stampEvery * stampEvery; b < off+n; b += stampEvery { // every block whose stamp overlaps p
		binary.BigEndian.PutUint64(stamp[:], uint64(b))
		for k := int64(0); k < 8; k++ {
			if at := b + k - off; at >= 0 && at < n {
				p[at] = stamp[k]
			}
		}
	}
	return len(p), nil
}

func generated(size int64) *io.SectionReader { return io.NewSectionReader(generator{}, 0, size) }

// GeneratedContent returns the size bytes of generated content the storage
// host serves for SetGeneratedFile, holding no memory proportional to size. A
// shorter file is a prefix of a longer one.
func GeneratedContent(size int64) (*io.SectionReader, error) {
	if size < 0 {
		return nil, fmt.Errorf("meetingstest: GeneratedContent: size %d is negative", size)
	}
	return generated(size), nil
}

// GeneratedSHA256 returns the hex SHA-256 of GeneratedContent(size),
// streaming the content.
func GeneratedSHA256(size int64) (string, error) {
	r, err := GeneratedContent(size)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	_, _ = io.CopyBuffer(h, r, make([]byte, 256<<10))
	return hex.EncodeToString(h.Sum(nil)), nil
}
