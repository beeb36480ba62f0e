
«dev-web£¯ *-/run/containerd/fifo/1730295773/dev-web-stdin2./run/containerd/fifo/1730295773/dev-web-stdout:./run/containerd/fifo/1730295773/dev-web-stderrR€’¸Ã˜þÿÿÿ