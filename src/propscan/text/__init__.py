"""From bytes to article text: decoding, HTML extraction and cleaning, and segmentation."""
