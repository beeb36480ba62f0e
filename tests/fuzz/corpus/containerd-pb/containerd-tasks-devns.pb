
³	dev-other¢° *//run/containerd/fifo/2704154640/dev-other-stdin20/run/containerd/fifo/2704154640/dev-other-stdout:0/run/containerd/fifo/2704154640/dev-other-stderrR€’¸Ã˜þÿÿÿ